import DeltaLake
import LakeStorage

/// `datalake history FEED`: the commits of a Delta feed's log, newest first — version, time,
/// operation, and what each added and removed.
package struct FeedHistory: Sendable {
    package struct Entry: Sendable, Equatable {
        package var version: Int
        /// Epoch ms of the commit, from its commitInfo.
        package var timestamp: Int64?
        package var operation: String
        package var filesAdded = 0
        package var rowsAdded: Int64?
        package var bytesAdded: Int64 = 0
        package var filesRemoved = 0
        package var rowsRemoved: Int64?
        package var bytesRemoved: Int64 = 0
        package var engine: String?
    }

    package var feed: String
    package var entries: [Entry]
    /// The latest checkpoint, when commits before it are gone from the log.
    package var checkpoint: Int?

    /// Reads the log of `feed` (a registered feed) through `storage`.
    package static func load(feed: String, registry: Registry, storage: any LakeStorage) throws -> FeedHistory {
        guard let record = registry.feeds[feed]?.record else { throw DataLakeError("no feed named \"\(feed)\" in the registry") }
        let spec = record.spec
        let log = DeltaLog(storage: storage, table: LakeLayout.dataDirectory(spec))
        let versions = try log.versions()
        guard !versions.isEmpty else {
            throw DataLakeError(spec.tableFormat == .delta ? "feed \(feed) has no Delta commit yet (nothing exported)"
                                : "feed \(feed) is table_format: hive, which keeps no history; set table_format: delta")
        }
        var entries: [Entry] = []
        for v in versions.reversed() {
            let actions = try log.entries(v) ?? []
            let info = actions.compactMap(\.commitInfo).first
            var e = Entry(version: v, timestamp: info?.timestamp, operation: info?.operation ?? "?", engine: info?.engineInfo)
            let adds = actions.compactMap(\.add), removes = actions.compactMap(\.remove)
            e.filesAdded = adds.count
            e.bytesAdded = adds.reduce(0) { $0 + ($1.size ?? 0) }
            let counted = adds.compactMap(\.numRecords)
            e.rowsAdded = counted.count == adds.count ? counted.reduce(0, +) : nil
            e.filesRemoved = removes.count
            e.bytesRemoved = removes.reduce(0) { $0 + ($1.size ?? 0) }
            e.rowsRemoved = removes.isEmpty ? 0 : info?.operationMetrics?["numRemovedRows"]?.int
            entries.append(e)
        }
        let checkpoint = versions.first.flatMap { $0 > 0 ? $0 : nil }
        return FeedHistory(feed: feed, entries: entries, checkpoint: checkpoint)
    }

    package var text: String {
        var rows = [["VERSION", "TIME", "OPERATION", "ADDED", "REMOVED"]]
        func change(_ files: Int, _ rows: Int64?, _ bytes: Int64) -> String {
            files == 0 ? "-" : "\(Plural.count(files, "file")), " + (rows.map { Plural.count($0, "row") + ", " } ?? "") + ByteCount.human(Int(bytes))
        }
        for e in entries {
            rows.append([String(e.version), e.timestamp.map(Clock.iso8601Millis) ?? "?", e.operation,
                         change(e.filesAdded, e.rowsAdded, e.bytesAdded), change(e.filesRemoved, e.rowsRemoved, e.bytesRemoved)])
        }
        let widths = rows[0].indices.map { i in rows.map { $0[i].count }.max()! }
        var out = rows.map { row in
            row.enumerated().map { i, cell in i == row.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0) }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
        if let checkpoint { out += "\nCommits before version \(checkpoint) are no longer in the log (their state is in a checkpoint).\n" }
        return out
    }

    package var json: JSONValue {
        JSONDocument.versioned([
            ("feed", .string(feed)),
            ("versions", .array(entries.map { e in
                .object([
                    ("version", .int(e.version)),
                    ("timestamp", e.timestamp.map { .string(Clock.iso8601Millis($0)) } ?? .null),
                    ("operation", .string(e.operation)),
                    ("files_added", .int(e.filesAdded)), ("rows_added", e.rowsAdded.map { .int(Int($0)) } ?? .null), ("bytes_added", .int(Int(e.bytesAdded))),
                    ("files_removed", .int(e.filesRemoved)), ("rows_removed", e.rowsRemoved.map { .int(Int($0)) } ?? .null),
                    ("bytes_removed", .int(Int(e.bytesRemoved))),
                    ("engine", .from(e.engine)),
                ])
            })),
        ])
    }
}
