import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The per-apply log under `logs/`: one timestamped line per event, appended and flushed as it
/// happens so that a killed apply still leaves what it did.
package final class ApplyLog {
    package let path: String
    private let fd: Int32

    package init(directory: String, stamp: String, prefix: String = "apply") throws {
        var candidate = (directory as NSString).appendingPathComponent("\(prefix)_\(stamp).log")
        var n = 1
        while FileIO.exists(candidate) {
            n += 1
            candidate = (directory as NSString).appendingPathComponent("\(prefix)_\(stamp)_\(n).log")
        }
        path = candidate
        fd = open(candidate, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        if fd < 0 { throw FileIOError(path: candidate, reason: String(cString: strerror(errno))) }
    }

    package func write(_ line: String) {
        let text = Clock.iso8601(Date()) + " " + line + "\n"
        _ = text.withCString { Glibc.write(fd, $0, strlen($0)) }
        fsync(fd)
    }

    deinit { close(fd) }
}
