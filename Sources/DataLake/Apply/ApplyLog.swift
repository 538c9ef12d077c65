import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The per-apply log under `logs/`: one timestamped line per event. Lines are held back until the
/// first one that reports a change (then written and flushed as they come, so a killed apply still
/// leaves what it did); an apply that changed nothing writes no log at all.
package final class ApplyLog {
    private let directory: String
    private let name: String
    private var fd: Int32 = -1
    private var held: [String] = []
    package private(set) var path: String?

    package init(directory: String, stamp: String, prefix: String = "apply") {
        self.directory = directory
        self.name = "\(prefix)_\(stamp)"
    }

    package func write(_ line: String, materialize: Bool = false) {
        let text = Clock.iso8601(Date()) + " " + line + "\n"
        if fd < 0 {
            held.append(text)
            guard materialize else { return }
            open()
            guard fd >= 0 else { return }
            for t in held { append(t) }
            held = []
        } else {
            append(text)
        }
    }

    private func append(_ text: String) {
        _ = text.withCString { Glibc.write(fd, $0, strlen($0)) }
        fsync(fd)
    }

    private func open() {
        var candidate = (directory as NSString).appendingPathComponent("\(name).log")
        var n = 1
        while FileIO.exists(candidate) {
            n += 1
            candidate = (directory as NSString).appendingPathComponent("\(name)_\(n).log")
        }
        fd = Glibc.open(candidate, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        if fd >= 0 { path = candidate }
    }

    deinit { if fd >= 0 { close(fd) } }
}
