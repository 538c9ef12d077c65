import Crypto
import Foundation
import LakeStorage

/// One feed of the desired state and where it was declared.
package struct FeedDefinition: Sendable {
    package var spec: FeedSpec
    /// The feed mapping's position (for errors and for the `feeds` helpers that edit the file).
    package var location: SourceLocation
}

/// What git says the lake should be: `lake.yaml` plus every feed file, decoded and validated.
package struct DesiredState: Sendable {
    package var config: LakeConfig
    /// Sorted by feed name.
    package var feeds: [FeedDefinition]
    /// SHA-256 over `lake.yaml` and every feed file (names and bytes): a saved plan records it.
    package var digest: String
    /// Non-fatal problems (warnings).
    package var warnings: [Diagnostic]

    package func feed(named name: String) -> FeedDefinition? { feeds.first { $0.spec.name == name } }
}

/// Reads and validates the desired state, reporting every error of every file in one run.
package enum DesiredStateLoader {
    package static let feedFileExtensions = ["yaml", "yml", "json"]

    /// Loads `lake.yaml` at `configPath` and the feed files it points to.
    package static func load(configPath: String) throws(DiagnosticsError) -> DesiredState {
        let decoder = NodeDecoder()
        var hasher = SHA256()
        var fatal: [Diagnostic] = []

        let configBytes = try readConfig(configPath)
        hasher.update(data: Array("lake.yaml\u{0}".utf8) + configBytes + [0])
        var configDocument: YAMLNode?
        do {
            let docs = try YAMLParser().parse(configBytes, file: configPath)
            if docs.count > 1 { fatal.append(Diagnostic("lake.yaml must hold a single YAML document", at: docs[1].location)) }
            configDocument = docs.first
        } catch {
            fatal.append(error)
        }
        let baseDirectory = LocalFiles.directory(of: configPath)
        let config = LakeConfig.decode(configDocument, path: configPath, baseDirectory: baseDirectory, decoder: decoder)

        var feeds: [FeedDefinition] = []
        var firstDeclared: [String: SourceLocation] = [:]
        let files: [String]
        do {
            files = try LocalFiles.listDirectory(config.feedsDirectory)
                .filter { name in !name.hasPrefix(".") && feedFileExtensions.contains { name.lowercased().hasSuffix("." + $0) } }
                .sorted()
        } catch {
            throw DiagnosticsError(fatal + decoder.diagnostics + [Diagnostic("cannot read the feeds directory \(config.feedsDirectory): \(error.reason)", file: configPath)])
        }
        for name in files {
            let path = LocalFiles.join(config.feedsDirectory, name)
            let bytes: [UInt8]
            do { bytes = try readLocal(path, what: "the feed file") } catch {
                fatal += error.diagnostics
                continue
            }
            hasher.update(data: Array("\(name)\u{0}".utf8) + bytes + [0])
            let documents: [YAMLNode]
            do { documents = try YAMLParser().parse(bytes, file: path) } catch {
                fatal.append(error)
                continue
            }
            let nodes = documents.flatMap { feedNodes(in: $0, decoder: decoder) }
            if nodes.isEmpty, !documents.contains(where: { !$0.isNull }) {
                // Its feeds would vanish from the desired state: the plan would archive what it used to declare.
                decoder.error("the feed file holds no feed: declare one, or delete the file", at: SourceLocation(file: path, line: 1, column: 1))
            }
            for node in nodes {
                guard let spec = FeedSpec.decode(node, defaults: config.defaults, decoder: decoder) else { continue }
                if spec.archived, spec.protect, let at = decoder.mapping(node, what: "a feed")?.keyLocation("archived") {
                    // What plan refuses (Planner.protectionError), said before anything is planned.
                    decoder.error("feed \"\(spec.name)\" is protected and cannot be archived: set `protect: false`, apply, then archive it", at: at)
                    continue
                }
                if let (key, message) = config.tieringProblem(spec), let m = decoder.mapping(node, what: "a feed"),
                   let at = m.keyLocation(key) {
                    decoder.error(message, at: at)
                    continue
                }
                if let first = firstDeclared[spec.name] {
                    decoder.error("feed \"\(spec.name)\" is already defined at \(first.file):\(first.line):\(first.column)", at: node)
                    continue
                }
                firstDeclared[spec.name] = node.location
                feeds.append(FeedDefinition(spec: spec, location: node.location))
            }
        }
        let errors = fatal + decoder.diagnostics
        if !errors.isEmpty { throw DiagnosticsError(errors) }
        let digest = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        return DesiredState(config: config, feeds: feeds.sorted { $0.spec.name < $1.spec.name },
                            digest: "sha256:" + digest, warnings: [])
    }

    /// A document is one feed (a mapping with `feed_name`), a list of feeds, or `{feeds: [...]}`.
    static func feedNodes(in document: YAMLNode, decoder: NodeDecoder) -> [YAMLNode] {
        if document.isNull { return [] }
        switch document.kind {
        case let .sequence(items):
            return items
        case let .mapping(pairs):
            if pairs.count == 1, pairs[0].key.scalar == "feeds" {
                guard case let .sequence(items) = pairs[0].value.kind else {
                    decoder.error("\"feeds\" must be a list of feeds, found \(pairs[0].value.kindName)", at: pairs[0].value)
                    return []
                }
                return items
            }
            return [document]
        case .scalar:
            decoder.error("a feed file holds a feed mapping or a list of feeds, found \(document.kindName)", at: document)
            return []
        }
    }
}
