import Crypto
import Foundation
import LakeStorage

/// Where a registered feed's record lives.
package enum RegistryState: String, Sendable {
    case active, archived
}

/// One registry entry: the record and whether it is active or archived.
package struct RegisteredFeed: Sendable {
    package var record: FeedRecord
    package var state: RegistryState
    package var path: String
}

/// The actual state of the lake's feeds: every `feeds/active|archived/<feed>.json`.
package struct Registry: Sendable {
    package var feeds: [String: RegisteredFeed]
    /// SHA-256 over every record (names and bytes): a saved plan records it to detect staleness.
    package var digest: String
    /// Hand edits and other non-fatal oddities.
    package var warnings: [Diagnostic]

    package var sortedNames: [String] { feeds.keys.sorted() }

    /// A record holds one feed spec; anything larger was not written by datalake.
    static let maxRecordBytes = 1 << 20

    /// Reads the registry under `layout`. A missing lake is an empty registry; a corrupt record is an
    /// error naming the file, line and column.
    package static func load(_ storage: any LakeStorage, defaults: LakeConfig.Defaults) throws(DiagnosticsError) -> Registry {
        // A record is written whole; the one key it leaves out when default is table_format, for
        // hive (so that records written before it existed keep their hash), whatever lake.yaml says.
        var recordDefaults = defaults
        recordDefaults.tableFormat = .hive
        var hasher = SHA256()
        var feeds: [String: RegisteredFeed] = [:]
        var errors: [Diagnostic] = []
        var warnings: [Diagnostic] = []
        let decoder = NodeDecoder()
        for (state, directory) in [(RegistryState.active, LakeLayout.activeFeeds), (.archived, LakeLayout.archivedFeeds)] {
            let entries: [StorageEntry]
            do { entries = try storage.list(under: directory) } catch {
                errors.append(Diagnostic("cannot list the registry: \(error.reason)", file: storage.describe(directory)))
                continue
            }
            for entry in entries where entry.path.parent == directory {
                let name = entry.path.name
                guard name.hasSuffix(".json") && !name.hasPrefix(".") else { continue }
                let path = storage.describe(entry.path)
                guard entry.kind == .file else {
                    errors.append(Diagnostic("a registry record must be a regular file", file: path))
                    continue
                }
                let bytes: [UInt8]
                do { bytes = try storage.read(entry.path, limit: Self.maxRecordBytes) ?? [] } catch {
                    errors.append(Diagnostic("cannot read: \(error.reason)", file: path))
                    continue
                }
                hasher.update(data: Array("\(state.rawValue)/\(name)\u{0}".utf8) + bytes + [0])
                let node: YAMLNode
                do {
                    guard let first = try YAMLParser().parse(bytes, file: path).first else {
                        errors.append(Diagnostic("empty registry record", file: path))
                        continue
                    }
                    node = first
                } catch {
                    errors.append(error)
                    continue
                }
                let before = decoder.diagnostics.count
                guard let spec = FeedSpec.decode(node, defaults: recordDefaults, decoder: decoder, extraKeys: FeedRecord.bookkeepingKeys),
                      decoder.diagnostics.count == before else { continue }
                let stem = String(name.dropLast(5))
                if spec.name != stem {
                    errors.append(Diagnostic("registry record is named \(name) but holds feed \"\(spec.name)\"", file: path))
                    continue
                }
                if let other = feeds[spec.name] {
                    errors.append(Diagnostic("feed \"\(spec.name)\" is both active and archived (also \(other.path)): remove one", file: path))
                    continue
                }
                let m = decoder.mapping(node, what: "a registry record")
                let record = FeedRecord(spec: spec, specHash: m?.string("spec_hash"),
                                        updatedAt: m?.string("updated_at"), archivedAt: m?.string("archived_at"))
                if let stored = record.specHash, stored != spec.hash {
                    warnings.append(Diagnostic("registry record was edited by hand: its spec_hash does not match its content", file: path, severity: .warning))
                }
                feeds[spec.name] = RegisteredFeed(record: record, state: state, path: path)
            }
        }
        errors += decoder.diagnostics
        if !errors.isEmpty { throw DiagnosticsError(errors) }
        let digest = "sha256:" + hasher.finalize().map { String(format: "%02x", $0) }.joined()
        return Registry(feeds: feeds, digest: digest, warnings: warnings)
    }
}
