import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One apply at a time: an exclusive `flock` on a lock file in the lake. The kernel releases it when
/// the holder dies, even by kill -9. The holder writes who it is so a second apply can say.
package final class ApplyLock {
    private let fd: Int32
    package let path: String

    /// Takes the lock or fails at once, naming the holder.
    package init(path: String) throws(DiagnosticsError) {
        self.path = path
        // O_CREAT on an existing file changes nothing on disk: an idle apply stays byte-for-byte idle.
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw DiagnosticsError([Diagnostic("cannot open the lock file: \(String(cString: strerror(errno)))", file: path)])
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let holder = (try? FileIO.read(path)).map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
            close(fd)
            throw DiagnosticsError([Diagnostic("another datalake apply holds the lake lock (\(holder.isEmpty ? "holder unknown" : holder)); try again when it ends", file: path)])
        }
        self.fd = fd
    }

    /// Records the holder (pid, start time) in the lock file. Only called when there is work to do.
    package func recordHolder(now: String) {
        let text = "pid \(getpid()) since \(now)\n"
        _ = ftruncate(fd, 0)
        _ = text.withCString { pwrite(fd, $0, strlen($0), 0) }
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
