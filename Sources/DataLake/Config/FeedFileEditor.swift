import LakeStorage

/// Edits one boolean key of one feed in its file, in place, keeping comments and layout: the
/// imperative `feeds enable|disable|archive` helpers change git's desired state, never the registry.
package enum FeedFileEditor {
    /// What `set(_:to:feed:in:)` did, and to which file.
    package enum Outcome: Equatable {
        case edited(String)
        case unchanged(String)
    }

    /// Sets `key` (`enabled` or `archived`) to `value` on the feed named `feed` of the desired state,
    /// unless it already has that value; an unknown feed is an error with the closest name.
    package static func set(_ key: String, to value: Bool, feed: String, in desired: DesiredState) throws(DiagnosticsError) -> Outcome {
        guard let definition = desired.feed(named: feed) else {
            let hint = Suggestion.closest(to: feed, among: desired.feeds.map(\.spec.name)).map { " (did you mean \"\($0)\"?)" } ?? ""
            throw DiagnosticsError([Diagnostic("no feed named \"\(feed)\" in \(desired.config.feedsDirectory)\(hint)")])
        }
        let current = key == "enabled" ? definition.spec.enabled : definition.spec.archived
        if current == value { return .unchanged(definition.location.file) }
        return .edited(try set(key, to: value, in: definition))
    }

    /// Sets `key: value` on the feed declared at `definition`; returns the edited file's path.
    package static func set(_ key: String, to value: Bool, in definition: FeedDefinition) throws(DiagnosticsError) -> String {
        let path = definition.location.file
        let bytes = try DesiredStateLoader.readLocal(path, what: "the feed file")
        var lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let documents: [YAMLNode]
        do { documents = try YAMLParser().parse(bytes, file: path) } catch { throw DiagnosticsError([error]) }
        guard let mapping = findFeed(definition.spec.name, in: documents), case let .mapping(pairs) = mapping.kind else {
            throw DiagnosticsError([Diagnostic("feed \"\(definition.spec.name)\" is no longer in this file", file: path)])
        }
        let text = value ? "true" : "false"
        if let pair = pairs.first(where: { $0.key.scalar == key }) {
            let loc = pair.value.location
            guard case let .scalar(old, false) = pair.value.kind, ["true", "false", "True", "False", "TRUE", "FALSE"].contains(old) else {
                throw DiagnosticsError([Diagnostic("\"\(key)\" is not a plain true/false here; edit it by hand", at: loc)])
            }
            var scalars = Array(lines[loc.line - 1].unicodeScalars)
            scalars.replaceSubrange((loc.column - 1)..<(loc.column - 1 + old.unicodeScalars.count), with: text.unicodeScalars)
            lines[loc.line - 1] = String(String.UnicodeScalarView(scalars))
        } else if let anchor = pairs.first(where: { $0.key.scalar == "feed_name" })?.key.location {
            let isFlow = Array(lines[mapping.location.line - 1].unicodeScalars).dropFirst(mapping.location.column - 1).first == "{"
            let line = Array(lines[anchor.line - 1].unicodeScalars)
            let indent = String(repeating: " ", count: anchor.column - 1)
            if isFlow {
                let before = String(String.UnicodeScalarView(line[..<(anchor.column - 1)]))
                let after = String(String.UnicodeScalarView(line[(anchor.column - 1)...]))
                if before.allSatisfy({ $0 == " " || $0 == "\t" }) {
                    lines[anchor.line - 1] = before + "\"\(key)\": \(text),"
                    lines.insert(before + after, at: anchor.line)
                } else {
                    lines[anchor.line - 1] = before + "\"\(key)\": \(text), " + after
                }
            } else {
                lines.insert(indent + "\(key): \(text)", at: anchor.line)
            }
        }
        let edited = lines.joined(separator: "\n")
        // Re-read what we wrote before replacing the file: a wrong edit must never land.
        let decoder = NodeDecoder()
        let check = (try? YAMLParser().parse(Array(edited.utf8), file: path)).flatMap { findFeed(definition.spec.name, in: $0) }
        let spec = check.flatMap { FeedSpec.decode($0, defaults: .init(), decoder: decoder) }
        let current = key == "enabled" ? spec?.enabled : spec?.archived
        guard current == value else {
            throw DiagnosticsError([Diagnostic("could not edit \"\(key)\" safely in this file; edit it by hand", at: definition.location)])
        }
        do { try LocalFiles.writeAtomically(path, edited) } catch { throw DiagnosticsError([Diagnostic("cannot write: \(error.reason)", file: path)]) }
        return path
    }

    static func findFeed(_ name: String, in documents: [YAMLNode]) -> YAMLNode? {
        for document in documents {
            for node in DesiredStateLoader.feedNodes(in: document, decoder: NodeDecoder()) {
                if case let .mapping(pairs) = node.kind, pairs.contains(where: { $0.key.scalar == "feed_name" && $0.value.scalar == name }) {
                    return node
                }
            }
        }
        return nil
    }
}
