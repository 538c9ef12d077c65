/// Runs one `snapshot` action: `SELECT * FROM t;` into `version=vN/snapshot_STAMP.parquet` when the
/// content differs from the latest version (an order-independent hash of the rows), then keeps the
/// last `versions_to_keep` versions.
package struct TableSnapshotter {
    package var settings: ExportSettings
    package var layout: LakeLayout
    package var clock: Clock

    package init(settings: ExportSettings, layout: LakeLayout, clock: Clock) {
        self.settings = settings
        self.layout = layout
        self.clock = clock
    }

    /// Order-independent content hash: row count and two sums of per-row fingerprints.
    struct ContentHash {
        var rows = 0
        var a: UInt64 = 0
        var b: UInt64 = 0
        mutating func add(_ line: UnsafeRawBufferPointer) {
            rows += 1
            a = a &+ RowFields.fingerprint(line)
            b = b &+ RowFields.fingerprint(line, seed: 0x9E37_79B9_7F4A_7C15)
        }
        var text: String { "rows=\(rows);a=\(String(a, radix: 16));b=\(String(b, radix: 16))" }
    }

    package func run(_ action: PlanAction, progress: (Int) -> Void = { _ in }) async throws -> ExportOutcome {
        let spec = action.spec
        guard let window = action.window else { throw DataLakeError("snapshot \(spec.name): the plan gives no window") }
        let (commit, opened) = try FeedCommit.open(spec, layout: layout)
        var metadata = opened
        let feedDirectory = commit.feedDirectory
        let sql = "SELECT * FROM \(spec.source);"
        var outcome = ExportOutcome()

        // First pass: hash only, so an unchanged table leaves no trace on disk.
        var probe = ContentHash()
        _ = try await settings.client.streamQuery(sql, onHeader: { _ in }, onRows: { batch in
            batch.forEachLine { probe.add($0) }
        })
        if let latest = metadata.latestVersion, latest.contentHash == probe.text {
            outcome.pruned = try prune(&metadata, keep: spec.versionsToKeep ?? 7, commit: commit)
            return outcome
        }

        let number = (metadata.versions.last?.number ?? 0) + 1
        let partition = "version=v\(number)"
        try commit.makeDirectories(partition, mode: spec.access.directoryMode)
        var hash = ContentHash()
        var writer: PartitionFileWriter?
        var fields: [KsqlField] = []
        do {
            _ = try await settings.client.streamQuery(sql, onHeader: { header in
                fields = header.columns
                writer = PartitionFileWriter(feedDirectory: feedDirectory, partition: partition, prefix: "snapshot", stamp: window.stamp,
                                             fields: fields, options: settings.writerOptions, fileMaxRows: Int.max,
                                             fileMode: spec.access.fileMode, taken: [])
            }, onRows: { batch in
                try batch.forEachLine { line in
                    hash.add(line)
                    try writer!.append(line, time: nil)
                }
                progress(hash.rows)
            })
        } catch {
            writer?.abort()
            FileIO.removeEmptyParents(of: feedDirectory + "/" + partition + "/x", upTo: feedDirectory)
            throw error
        }
        guard let writer else { throw DataLakeError("snapshot \(spec.name): ksqlDB sent no header") }
        // An empty table still makes a zero-row file, so that readers see its schema.
        var staged = try writer.finish()
        if staged.isEmpty {
            staged = try Self.emptyFile(writer: writer, fields: fields, feedDirectory: feedDirectory, partition: partition,
                                        stamp: window.stamp, settings: settings, mode: spec.access.fileMode)
        }
        let now = clock.timestamp()
        let file = staged[0]
        let entry = FeedMetadata.DataFile(path: file.relativePath, rows: hash.rows, bytes: file.bytes, exportedAt: now)
        metadata.source = spec.source
        metadata.versions.append(FeedMetadata.Version(number: number, file: entry, contentHash: hash.text))
        metadata.files.append(entry)
        metadata.schema = fields.map { FeedMetadata.Column(name: $0.name, type: $0.type.description) }
        metadata.lastExport = now
        try commit.commit(&metadata, staged: staged)
        outcome.rows = hash.rows
        outcome.bytes = file.bytes
        outcome.files = [file.relativePath]
        outcome.pruned = try prune(&metadata, keep: spec.versionsToKeep ?? 7, commit: commit)
        return outcome
    }

    /// Drops versions beyond `keep` from the metadata (committed first), then deletes their directories.
    func prune(_ metadata: inout FeedMetadata, keep: Int, commit: FeedCommit) throws -> [String] {
        guard metadata.versions.count > keep else { return [] }
        let doomed = metadata.versions.prefix(metadata.versions.count - keep).map { $0.file.path.asPath.directory }
        let set = Set(doomed)
        metadata.versions.removeAll { set.contains($0.file.path.asPath.directory) }
        metadata.files.removeAll { set.contains($0.path.asPath.directory) }
        try commit.write(metadata)
        for dir in doomed { try FileIO.removeTree(commit.feedDirectory + "/" + dir) }
        return doomed
    }

    /// A zero-row file with the table's schema.
    static func emptyFile(writer: PartitionFileWriter, fields: [KsqlField], feedDirectory: String, partition: String, stamp: String,
                          settings: ExportSettings, mode: UInt16) throws -> [PartitionFileWriter.StagedFile] {
        let path = "\(partition)/snapshot_\(stamp).parquet"
        let sink = try StagedFileSink(finalPath: feedDirectory + "/" + path, mode: mode)
        let w = try KsqlParquetWriter(fields: fields, sink: sink, options: settings.writerOptions)
        _ = try w.finish()
        try sink.sync()
        return [PartitionFileWriter.StagedFile(relativePath: path, sink: sink, rows: 0, bytes: sink.bytesWritten)]
    }
}
