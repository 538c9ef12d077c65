import LakeStorage
import Foundation

/// `feeds add`: checks the seed's flags like a feed file would be checked, then writes the file.
package struct FeedAdder {
    package var desired: DesiredState

    package init(desired: DesiredState) { self.desired = desired }

    package func add(name: String, type: String, source: String, description: String, partitioning: String?,
                     storageMode: String?, retentionDays: Int?, versionsToKeep: Int?) throws(DiagnosticsError) -> String {
        guard let feedType = FeedType(rawValue: type) else {
            throw DiagnosticsError([Diagnostic("--type must be \"stream\" or \"table\", found \"\(type)\"")])
        }
        if let existing = desired.feed(named: name) {
            let l = existing.location
            throw DiagnosticsError([Diagnostic("feed \"\(name)\" already exists at \(l.file):\(l.line):\(l.column)")])
        }
        let path = LocalFiles.join(desired.config.feedsDirectory, "\(name).yaml")
        if LocalFiles.exists(path) { throw DiagnosticsError([Diagnostic("\(path) already exists")]) }
        var text = FeedTemplate(name: name, type: feedType, source: source, description: description,
                                retentionDays: retentionDays, versionsToKeep: versionsToKeep).yaml
        // Flags that contradict the type are kept so that validation below names them.
        if let partitioning { text = text.replacingYAMLKey("partitioning", with: "partitioning: \(partitioning)") }
        if let storageMode { text = text.replacingYAMLKey("storage_mode", with: "storage_mode: \(storageMode)") }
        if feedType == .stream, let versionsToKeep { text += "versions_to_keep: \(versionsToKeep)\n" }
        if feedType == .table, let retentionDays { text += "retention_days: \(retentionDays)\n" }

        let decoder = NodeDecoder()
        let node: YAMLNode?
        do { node = try YAMLParser().parse(Array(text.utf8), file: path).first } catch { throw DiagnosticsError([error]) }
        if let node { _ = FeedSpec.decode(node, defaults: desired.config.defaults, decoder: decoder) }
        if !decoder.diagnostics.isEmpty {
            // Name the flag, not a line of a file that does not exist.
            throw DiagnosticsError(decoder.diagnostics.map { Diagnostic("invalid feed: " + $0.message) })
        }
        let created: Bool
        do { created = try LocalFiles.createNew(path, Array(text.utf8)) } catch { throw DiagnosticsError([Diagnostic("cannot write: \(error.reason)", file: path)]) }
        if !created { throw DiagnosticsError([Diagnostic("\(path) already exists")]) }
        return path
    }
}

extension String {
    /// Replaces a top-level key's block (its line and the indented lines under it) with `replacement`.
    fileprivate func replacingYAMLKey(_ key: String, with replacement: String) -> String {
        var out: [Substring] = []
        var skipping = false
        for line in split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("\(key):") {
                out.append(Substring(replacement))
                skipping = true
                continue
            }
            if skipping && line.hasPrefix(" ") { continue }
            skipping = false
            out.append(line)
        }
        return out.joined(separator: "\n")
    }
}
