import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One apply at a time: an exclusive `flock` on a lock file in the lake. The kernel releases it when
/// the holder dies, even by kill -9. Who holds it is read from /proc/locks rather than written into
/// the file, so taking the lock never changes a byte on disk.
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
            let holder = Self.holder(of: fd)
            close(fd)
            throw DiagnosticsError([Diagnostic("another datalake apply holds the lake lock (\(holder)); try again when it ends", file: path)])
        }
        self.fd = fd
    }

    /// "pid N since TIME" of the process holding a flock on `fd`'s inode, from /proc/locks.
    static func holder(of fd: Int32) -> String {
        var st = stat()
        guard fstat(fd, &st) == 0, let locks = try? FileIO.read("/proc/locks") else { return "holder unknown" }
        let inode = String(st.st_ino)
        for line in String(decoding: locks, as: UTF8.self).split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            // 1: FLOCK  ADVISORY  WRITE 12345 fd:01:123456 0 EOF
            guard fields.count >= 6, fields[1] == "FLOCK", let pid = Int32(fields[4]),
                  fields[5].split(separator: ":").last.map(String.init) == inode else { continue }
            var proc = stat()
            let since = stat("/proc/\(pid)", &proc) == 0 ? " since " + Clock.iso8601(Date(timeIntervalSince1970: Double(proc.st_mtim.tv_sec))) : ""
            return "pid \(pid)\(since)"
        }
        return "holder unknown"
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
