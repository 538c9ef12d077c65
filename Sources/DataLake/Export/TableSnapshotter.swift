import KsqlDBClient
import KsqlParquet
import LakeStorage
import Parquet

/// Runs one `snapshot` action: `SELECT * FROM t;` into `version=vN/snapshot_STAMP.parquet` when the
/// content differs from the latest version (an order-independent hash of the rows, taken in the
/// same single pass that writes the file). Pruning the versions past `versions_to_keep` is the
/// plan's own `prune` action, which runs after it.
package struct TableSnapshotter {
    package var settings: ExportSettings
    package var storage: any LakeStorage
    package var clock: Clock

    package init(settings: ExportSettings, storage: any LakeStorage, clock: Clock) {
        self.settings = settings
        self.storage = storage
        self.clock = clock
    }

    /// Order-independent content hash: row count and two sums of per-row fingerprints, keyed with
    /// the feed's SipHash key (nil: the FNV sums of versions recorded before keys, to compare with).
    struct ContentHash {
        let first: SipHash?
        let second: SipHash?
        var rows = 0
        var a: UInt64 = 0
        var b: UInt64 = 0
        /// Column names and types: the same values under a renamed or retyped column are a new version.
        var schema: UInt64 = 0

        init(key: SipHash?) {
            first = key
            second = key.map { SipHash(k0: $0.k1, k1: $0.k0 ^ 0x9E37_79B9_7F4A_7C15) }
        }

        mutating func add(header: KsqlQueryHeader) {
            schema = Array(KsqlField.schemaString(header.columns).utf8).withUnsafeBytes { first?.hash($0) ?? RowFields.fingerprint($0) }
        }
        mutating func add(_ line: UnsafeRawBufferPointer) {
            rows += 1
            a = a &+ (first?.hash(line) ?? RowFields.fingerprint(line))
            b = b &+ (second?.hash(line) ?? RowFields.fingerprint(line, seed: 0x9E37_79B9_7F4A_7C15))
        }
        var contentText: String { "rows=\(rows);a=\(String(a, radix: 16));b=\(String(b, radix: 16))" }
        var text: String { (first == nil ? "" : "sip;") + contentText + ";schema=\(String(schema, radix: 16))" }

        /// True when `recorded` (a version's content hash) is this content; unkeyed hashes recorded
        /// before the schema was part of them compare on the rows alone.
        func matches(_ recorded: String) -> Bool {
            first != nil || recorded.contains(";schema=") ? recorded == text : recorded == contentText
        }
    }

    /// Reads the table once: each row is hashed and written to the hidden staged file in the same
    /// pass, so that the hash and the file are of the same content, and ksqlDB's state store is
    /// scanned once. When the hash equals the latest version's, the staged file and the version's
    /// directory are dropped: an unchanged table leaves the lake as it was.
    /// `progress` gets the rows and bytes read after each batch; what it throws (a stop request) ends
    /// the snapshot before its commit, its staged file deleted.
    package func run(_ action: PlanAction, progress: (ReadProgress) throws -> Void = { _ in }) async throws -> ExportOutcome {
        let spec = action.spec
        guard let window = action.window else { throw DataLakeError("snapshot \(spec.name): the plan gives no window") }
        let (commit, opened) = try FeedCommit.open(spec, storage: storage)
        var metadata = opened
        let feedDirectory = commit.feedDirectory
        let sql = "SELECT * FROM \(spec.source);"
        let timestamps: TimestampPrecision = spec.tableFormat == .delta ? .micros : .millis
        var outcome = ExportOutcome()

        let storedKey = metadata.fingerprintKey.flatMap(SipHash.init(hex:))
        let key = storedKey ?? SipHash.random()
        var hash = ContentHash(key: key)
        // Versions recorded before keys are compared by their FNV sums, so upgrading makes no version.
        var legacy = storedKey == nil ? ContentHash(key: nil) : nil
        let number = (metadata.versions.last?.number ?? 0) + 1
        let partition = "version=v\(number)"
        var created: [LakePath] = []
        var writer: PartitionFileWriter?
        var fields: [KsqlField] = []
        var checks: QualityCheckRunner?
        var read = ReadProgress()
        func discard() {
            writer?.abort()
            commit.removeCreated(created)
        }
        do {
            _ = try await settings.client.streamQuery(sql, onHeader: { header in
                hash.add(header: header)
                legacy?.add(header: header)
                fields = header.columns
                // The plan checked them against the columns: failing here, the table changed since (so is no match to skip).
                if !spec.checks.isEmpty { checks = try QualityCheckRunner(checks: spec.checks, fields: fields, feed: "snapshot \(spec.name)") }
                // Only once ksqlDB answers: a query refused at once touches nothing.
                created = try commit.makeDirectories(partition)
                writer = PartitionFileWriter(storage: storage, feedDirectory: feedDirectory, partition: partition, prefix: "snapshot", stamp: window.stamp,
                                             fields: fields, options: settings.writerOptions, fileMaxRows: Int.max,
                                             fileMode: spec.access.fileMode, taken: [], timestamps: timestamps)
            }, onRows: { batch in
                try batch.forEachLine { line in
                    hash.add(line)
                    legacy?.add(line)
                    checks?.observe(line, row: hash.rows)
                    try writer!.append(line, time: nil)
                }
                read.rows = hash.rows
                read.add(bytesOf: batch)
                try progress(read)
            })
        } catch {
            discard()
            throw error
        }
        // Compared before the file is finished: on an object store, an unfinished upload is never visible.
        if let latest = metadata.latestVersion, hash.matches(latest.contentHash) || legacy?.matches(latest.contentHash) == true {
            discard()
            return outcome
        }
        guard let writer else {
            discard()
            throw DataLakeError("snapshot \(spec.name): ksqlDB sent no header")
        }
        if let checks {
            outcome.checks = checks.outcomes(newestEvent: nil, now: Int64(clock.now().timeIntervalSince1970 * 1000))
            if spec.onCheckFailure == .fail, outcome.checks.contains(where: { !$0.passed && $0.check.severity == .error }) {
                discard()
                throw CheckFailure(feed: spec.name, outcomes: outcome.checks)
            }
        }
        var staged: [PartitionFileWriter.StagedFile]
        do {
            // An empty table still makes a zero-row file, so that readers see its schema.
            staged = try writer.finish()
            if staged.isEmpty {
                staged = try emptyFile(fields: fields, feedDirectory: feedDirectory, partition: partition, stamp: window.stamp,
                                       mode: spec.access.fileMode, timestamps: timestamps)
            }
        } catch {
            discard()
            throw error
        }
        let now = clock.timestamp()
        let file = staged[0]
        let entry = FeedMetadata.DataFile(path: file.relativePath, rows: hash.rows, bytes: file.bytes, exportedAt: now)
        let schema = fields.map { FeedMetadata.Column(name: $0.name, type: $0.type.description) }
        var delta: DeltaChange?
        if spec.tableFormat == .delta {
            // The new version replaces the previous one; older snapshots stay reachable by time travel until pruned.
            var change = DeltaChange(fields: fields, operation: "WRITE", mode: "Overwrite", writesMetadata: schema != metadata.schema)
            change.added = [.init(relativePath: file.relativePath, rows: hash.rows, bytes: file.bytes, footer: file.footer)]
            change.removed = metadata.latestVersion.map { [$0.file] } ?? []
            change.checks = outcome.checks
            delta = change
        }
        metadata.source = spec.source
        metadata.versions.append(FeedMetadata.Version(number: number, file: entry, contentHash: hash.text))
        metadata.fingerprintKey = key.hex
        metadata.files.append(entry)
        metadata.schema = schema
        metadata.lastExport = now
        metadata.lastChecks = outcome.checks.map(\.record)
        try commit.commit(&metadata, staged: staged, delta: delta, now: Int64(clock.now().timeIntervalSince1970 * 1000))
        outcome.rows = hash.rows
        outcome.bytes = file.bytes
        outcome.files = [file.relativePath]
        return outcome
    }

    /// A zero-row file with the table's schema.
    func emptyFile(fields: [KsqlField], feedDirectory: LakePath, partition: String, stamp: String,
                   mode: UInt16, timestamps: TimestampPrecision) throws -> [PartitionFileWriter.StagedFile] {
        let path = "\(partition)/snapshot_\(stamp).parquet"
        let object = try storage.stage(feedDirectory.appending(path), mode: mode)
        var footer: FileMetaData?
        do {
            let w = try KsqlParquetWriter(fields: fields, sink: StagedParquetSink(object), options: settings.writerOptions,
                                          timestamps: timestamps)
            footer = try w.finish().footer
            try object.finish()
        } catch {
            object.abort()
            throw error
        }
        return [PartitionFileWriter.StagedFile(relativePath: path, object: object, rows: 0, bytes: object.bytesWritten, footer: footer)]
    }
}
