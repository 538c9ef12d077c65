import Foundation

/// Named pauses at the crash-sensitive points of a commit, for the crash tests: with
/// `DATALAKE_FAILPOINTS=after-commit=2000,during-publish=2000` the process sleeps that many
/// milliseconds there, so that a test can kill it exactly in that window. Unset, they cost nothing.
enum Failpoint {
    static let pauses: [String: UInt32] = {
        guard let spec = ProcessInfo.processInfo.environment["DATALAKE_FAILPOINTS"] else { return [:] }
        var out: [String: UInt32] = [:]
        for item in spec.split(separator: ",") {
            let parts = item.split(separator: "=")
            if parts.count == 2, let ms = UInt32(parts[1]) { out[String(parts[0])] = ms }
        }
        return out
    }()

    static func pause(_ name: String) {
        guard let ms = pauses[name] else { return }
        usleep(ms * 1000)
    }
}
