/// The seed's metadata_utils.py: per-feed statistics from the registry and each feed's
/// `_metadata.json`, rendered as text, JSON or CSV by `stats` and `report`.
package struct LakeReport: Sendable {
    /// One feed's line of the report.
    package struct FeedStats: Sendable, Equatable {
        package var name: String
        package var type: FeedType
        package var source: String
        package var state: String
        package var records: Int
        package var bytes: Int
        package var files: Int
        package var partitions: [String]
        package var versions: [Int]
        package var lastExport: String?
        package var watermark: String?
        /// The quality checks of the last committed export or snapshot.
        package var checks: [FeedMetadata.CheckResult] = []
        /// Rows held in `quarantine/<feed>` (on_check_failure: quarantine), all exports together.
        package var quarantined = 0
    }

    package var feeds: [FeedStats]

    package var totalRecords: Int { feeds.reduce(0) { $0 + $1.records } }
    package var totalBytes: Int { feeds.reduce(0) { $0 + $1.bytes } }

    /// Every registered feed (active and archived), sorted by name.
    package init(registry: Registry, storage: any LakeStorage) {
        feeds = registry.sortedNames.map { name in
            let feed = registry.feeds[name]!
            let spec = feed.record.spec
            let metadata = (try? FeedMetadata.load(spec, from: storage)) ?? nil
            let state = feed.state == .archived ? "archived" : (spec.enabled ? "enabled" : "disabled")
            return FeedStats(name: name, type: spec.type, source: spec.source, state: state,
                             records: metadata?.totalRecords ?? 0, bytes: metadata?.totalBytes ?? 0,
                             files: metadata?.files.count ?? 0, partitions: metadata?.partitions ?? [],
                             versions: metadata?.versions.map(\.number) ?? [], lastExport: metadata?.lastExport,
                             watermark: metadata?.watermark.map(Clock.iso8601Millis), checks: metadata?.lastChecks ?? [],
                             quarantined: metadata?.quarantineFiles.reduce(0) { $0 + $1.rows } ?? 0)
        }
    }

    package var text: String {
        var rows = [["FEED", "TYPE", "STATE", "RECORDS", "SIZE", "FILES", "PARTITIONS/VERSIONS", "LAST EXPORT"]]
        for f in feeds {
            let parts = f.type == .stream ? Plural.count(f.partitions.count, "day") + (f.partitions.last.map { ", last \($0)" } ?? "")
                : (f.versions.isEmpty ? "no version" : "\(Plural.count(f.versions.count, "version")), latest v\(f.versions.last!)")
            rows.append([f.name, f.type.rawValue, f.state, String(f.records), ByteCount.human(f.bytes), String(f.files), parts, f.lastExport ?? "never"])
        }
        let widths = rows[0].indices.map { i in rows.map { $0[i].count }.max()! }
        var out = rows.map { row in
            row.enumerated().map { i, cell in i == row.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0) }.joined(separator: "  ")
        }.joined(separator: "\n")
        out += "\n\n\(Plural.count(feeds.count, "feed")), \(Plural.count(totalRecords, "record")), \(ByteCount.human(totalBytes))\n"
        for f in feeds {
            for c in f.checks where c.rowsFailed > 0 {
                out += "\(f.name): check \(c.check) failed on \(c.rowsFailed) of \(Plural.count(c.rowsChecked, "row")) in the last commit (\(c.severity))\n"
            }
            if f.quarantined > 0 {
                out += "\(f.name): \(Plural.count(f.quarantined, "row")) in \(LakeLayout.quarantineDirectory(f.name).value)/\n"
            }
        }
        return out
    }

    /// `report`'s text: the table, then every feed's partitions.
    package func fullText(location: String) -> String {
        var t = "datalake report: \(location)\n\n" + text
        for f in feeds where !f.partitions.isEmpty {
            t += "\n\(f.name):\n" + f.partitions.map { "  \($0)" }.joined(separator: "\n") + "\n"
        }
        return t
    }

    package var json: JSONValue {
        JSONDocument.versioned([
            ("feeds", .array(feeds.map { f in
                .object([
                    ("feed", .string(f.name)), ("type", .string(f.type.rawValue)), ("source", .string(f.source)),
                    ("state", .string(f.state)), ("total_records", .int(f.records)), ("total_bytes", .int(f.bytes)),
                    ("total_size_mb", .double((Double(f.bytes) / 1_048_576 * 100).rounded() / 100)),
                    ("files", .int(f.files)), ("partitions", .array(f.partitions.map(JSONValue.string))),
                    ("versions", .array(f.versions.map(JSONValue.int))), ("last_export", .from(f.lastExport)),
                    ("watermark", .from(f.watermark)),
                    ("checks", .array(f.checks.map { c in
                        .object([("check", .string(c.check)), ("severity", .string(c.severity)), ("rows_checked", .int(c.rowsChecked)),
                                 ("rows_failed", .int(c.rowsFailed))])
                    })),
                    ("quarantined_records", .int(f.quarantined)),
                ])
            })),
            ("total_records", .int(totalRecords)),
            ("total_bytes", .int(totalBytes)),
        ])
    }

    /// One row per feed (the seed's `--csv`), RFC 4180 quoting.
    package var csv: String {
        var out = "feed,type,source,state,total_records,total_bytes,total_size_mb,files,partitions,versions,last_export,watermark,checks,checks_failed,quarantined_records\r\n"
        for f in feeds {
            let cells = [f.name, f.type.rawValue, f.source, f.state, String(f.records), String(f.bytes),
                         String(format: "%.2f", Double(f.bytes) / 1_048_576), String(f.files), String(f.partitions.count),
                         String(f.versions.count), f.lastExport ?? "", f.watermark ?? "",
                         String(f.checks.count), f.checks.filter { $0.rowsFailed > 0 }.map { "\($0.check): \($0.rowsFailed) of \($0.rowsChecked)" }.joined(separator: "; "),
                         String(f.quarantined)]
            out += cells.map(Self.csvField).joined(separator: ",") + "\r\n"
        }
        return out
    }

    static func csvField(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}

import Foundation
import LakeStorage
