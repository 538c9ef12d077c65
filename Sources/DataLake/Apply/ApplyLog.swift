import Foundation
import LakeStorage

/// The per-apply log under `logs/`: one timestamped line per event. Lines are held back until the
/// first one that reports a change (then written and made durable as they come, so a killed apply
/// still leaves what it did); an apply that changed nothing writes no log at all.
package final class ApplyLog {
    private let storage: any LakeStorage
    private let name: String
    private let mode: UInt16
    private var file: LakePath?
    private var held: [String] = []
    package private(set) var path: String?

    /// `mode`: the log names feeds and counts their rows, so it gets the strictest mode of the feeds it speaks of.
    package init(storage: any LakeStorage, stamp: String, prefix: String = "apply", mode: UInt16 = 0o644) {
        self.storage = storage
        self.name = "\(prefix)_\(stamp)"
        self.mode = mode
    }

    package func write(_ line: String, materialize: Bool = false) {
        let text = Clock.iso8601(Date()) + " " + line + "\n"
        if file == nil {
            held.append(text)
            guard materialize, open() else { return }
            append(held.joined())
            held = []
        } else {
            append(text)
        }
    }

    private func append(_ text: String) {
        guard let file else { return }
        try? storage.append(file, Array(text.utf8), mode: mode)
    }

    private func open() -> Bool {
        var candidate = LakeLayout.logs.appending("\(name).log")
        var n = 1
        while (try? storage.exists(candidate)) != false {
            n += 1
            if n > 1000 { return false }
            candidate = LakeLayout.logs.appending("\(name)_\(n).log")
        }
        file = candidate
        path = storage.describe(candidate)
        return true
    }
}
