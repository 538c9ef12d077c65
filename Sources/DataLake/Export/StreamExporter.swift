import Foundation
import KsqlDBClient
import KsqlParquet
import LakeStorage
import Parquet

/// Runs one `export` action: reads the stream's events in the plan's window over `/query-stream`,
/// drops the rows an earlier export already wrote (the overlap multiset), writes the rest into day
/// partitions by event time, and commits them with the new watermark.
package struct StreamExporter {
    package var settings: ExportSettings
    package var storage: any LakeStorage
    package var clock: Clock

    package init(settings: ExportSettings, storage: any LakeStorage, clock: Clock) {
        self.settings = settings
        self.storage = storage
        self.clock = clock
    }

    /// `progress` gets the rows written and the bytes read after each batch; what it throws (a stop
    /// request) ends the export before its commit, its staged files deleted.
    package func run(_ action: PlanAction, progress: (ReadProgress) throws -> Void = { _ in }) async throws -> ExportOutcome {
        let spec = action.spec
        guard let window = action.window else { throw DataLakeError("export \(spec.name): the plan gives no window") }
        let (commit, opened) = try FeedCommit.open(spec, storage: storage)
        var metadata = opened
        let feedDirectory = commit.feedDirectory
        var overlap = OverlapSet()
        if let name = metadata.overlapFile, let bytes = try storage.read(feedDirectory.appending(name), limit: OverlapSet.maxBytes) {
            overlap = try OverlapSet(bytes: bytes)
        }
        let latenessMs = Int64(spec.latenessMinutes ?? 0) * 60_000

        var lower = window.from
        var upper = window.to
        if let day = window.day, let dayNumber = CivilDate.epochDay(isoDate: day) {
            let start = Int64(dayNumber) * 86_400_000
            lower = max(lower ?? start, start)
            upper = min(upper, start + 86_400_000)
        }
        var conditions: [String] = []
        if let lower { conditions.append("ROWTIME >= \(lower)") }
        conditions.append("ROWTIME < \(upper)")
        let sql = "SELECT ROWTIME, * FROM \(spec.source) WHERE \(conditions.joined(separator: " AND "));"

        var fields: [KsqlField] = []
        var seen: [OverlapSet.Key: Int] = [:]
        // Row fingerprints are keyed (SipHash, the key in the metadata). Metadata from before keys
        // holds FNV fingerprints: they are checked as such, and a full export, which reads again
        // every row the next overlap needs, rebuilds them all under a new key.
        let rebuild = window.day == nil
        let storedKey = metadata.fingerprintKey.flatMap(SipHash.init(hex:))
        let hasher = storedKey ?? SipHash.random()
        let keyed = storedKey != nil || rebuild
        var projection: [Int]?
        var scratch: [UInt8] = []
        func fingerprint(_ bytes: UnsafeRawBufferPointer, legacy: Bool) -> UInt64 {
            legacy ? RowFields.fingerprint(bytes) : hasher.hash(bytes)
        }
        /// The fingerprint the overlap file holds for this row.
        func checkFingerprint(_ line: UnsafeRawBufferPointer) -> UInt64 {
            guard let projection else { return fingerprint(line, legacy: storedKey == nil) }
            RowFields.projected(line, projection, into: &scratch)
            return scratch.withUnsafeBytes { fingerprint($0, legacy: storedKey == nil) }
        }
        // True when the overlap file holds fingerprints of the kind this export stores.
        let sameScheme = storedKey != nil || !keyed
        var newKeys: [OverlapSet.Key] = []
        // Only rows at or after the next overlap window's start need a fingerprint kept: older ones
        // can never be read again. The memory of an export is then bounded by the lateness window,
        // not by the stream's size.
        let coveredFrom = metadata.coveredFrom
        let keepFrom: Int64 = window.day == nil ? max(window.to - latenessMs, coveredFrom ?? Int64.min) : (coveredFrom ?? Int64.min)
        var outcome = ExportOutcome()
        // Events whose day is already past retention would be expired by the next plan: not written.
        let router = StreamRowRouter(spec: spec, commit: commit, storage: storage, stamp: window.stamp, options: settings.writerOptions,
                                     fileMaxRows: settings.parquet.fileMaxRows, taken: Set(metadata.files.map(\.path)),
                                     precision: spec.tableFormat == .delta ? .micros : .millis,
                                     oldestKept: spec.retentionDays.map { CivilDate.epochDay(ms: window.to) - $0 } ?? Int.min)
        let stamp = window.stamp
        // Read by every row: a constant, not a variable the row closure captures.
        let overlapRead = overlap
        var read = ReadProgress()
        do {
            _ = try await settings.client.streamQuery(sql, onHeader: { header in
                fields = header.columns
                guard fields.first?.name == "ROWTIME" else {
                    throw DataLakeError("export \(spec.name): ksqlDB did not return ROWTIME first")
                }
                // The live columns, checked again under the feed's policy: the plan saw them at its time.
                if !metadata.schema.isEmpty {
                    do throws(Diagnostic) {
                        _ = try SchemaDiff(previous: metadata.schema, current: Array(fields.dropFirst()), policy: spec.schemaPolicy,
                                           feed: spec.name, location: SourceLocation(file: "", line: 0, column: 0)).changes()
                    } catch {
                        throw DataLakeError("export \(spec.name): the query's columns changed since the plan: \(error.message)")
                    }
                }
                let wanted = spec.timestampColumn ?? "ROWTIME"
                guard let index = fields.firstIndex(where: { $0.name.uppercased() == wanted.uppercased() }) else {
                    throw DataLakeError("export \(spec.name): the source has no column \(wanted) (timestamp_column)")
                }
                router.fields = fields
                router.timeIndex = index
                if !spec.checks.isEmpty { router.checks = try QualityCheckRunner(checks: spec.checks, fields: fields, feed: "export \(spec.name)") }
                router.checksBatches = router.checks?.checksBatches(fields: fields, quarantine: spec.onCheckFailure == .quarantine) ?? false
                if spec.onCheckFailure == .quarantine, router.checks != nil {
                    router.quarantine = QuarantineWriter(commit: commit, fields: fields, stamp: stamp, options: router.options,
                                                         fileMaxRows: settings.parquet.fileMaxRows, timestamps: router.precision,
                                                         taken: Set(metadata.quarantineFiles.map(\.path)))
                }
                // After an additive change the rows carry new columns: a row read again is checked by
                // the values of the columns it was exported with, in their order then.
                let old = metadata.schema.map(\.name)
                if !old.isEmpty, old != fields.map(\.name) {
                    projection = old.compactMap { name in fields.firstIndex { $0.name == name } }
                }
            }, onRows: { batch in
                try batch.forEachLine { line in
                    router.rowNumber += 1
                    guard let rowtime = RowFields.leadingInt64(line) else {
                        throw DataLakeError("export \(spec.name): row \(router.rowNumber) of the query has no ROWTIME first")
                    }
                    let mayRepeat = overlapRead.contains(time: rowtime)
                    guard mayRepeat || rowtime >= keepFrom else {
                        try router.route(line, rowtime)
                        return
                    }
                    let key = OverlapSet.Key(time: rowtime, hash: fingerprint(line, legacy: !keyed))
                    if mayRepeat {
                        let check = projection == nil && sameScheme ? key : OverlapSet.Key(time: rowtime, hash: checkFingerprint(line))
                        if overlapRead.multiplicity(check) > 0 {
                            let n = seen[check, default: 0] + 1
                            seen[check] = n
                            if n <= overlapRead.multiplicity(check) {
                                outcome.duplicatesDropped += 1
                                // A full export rebuilds the fingerprints from every row it reads.
                                if rebuild && rowtime >= keepFrom { newKeys.append(key) }
                                return
                            }
                        }
                    }
                    if rowtime >= keepFrom { newKeys.append(key) }
                    try router.route(line, rowtime)
                }
                read.rows = router.rows
                read.add(bytesOf: batch)
                try progress(read)
            })
        } catch {
            abort(router)
            throw error
        }
        outcome.rows = router.rows
        outcome.pastRetention = router.pastRetention
        let quarantine = router.quarantine

        // The files are finished first: the last batches reach the checks as they are written.
        var staged: [PartitionFileWriter.StagedFile] = []
        var quarantined: [PartitionFileWriter.StagedFile] = []
        do {
            for (_, writer) in router.writers.sorted(by: { $0.key < $1.key }) { staged += try writer.finish() }
            quarantined = try quarantine?.finish() ?? []
        } catch {
            abort(router)
            throw error
        }
        if let checks = router.checks {
            let previous = metadata.files.compactMap(\.maxTime).max()
            outcome.checks = checks.outcomes(newestEvent: [previous, router.newestEvent].compactMap { $0 }.max(), now: Int64(clock.now().timeIntervalSince1970 * 1000))
            // Quarantine sets rows aside; a failed row_count or freshness has none to set aside.
            let failing = outcome.checks.filter { !$0.passed && $0.check.severity == .error && (quarantine == nil || $0.check.columns.isEmpty) }
            if spec.onCheckFailure != .warn, !failing.isEmpty {
                abort(router)
                throw CheckFailure(feed: spec.name, outcomes: outcome.checks)
            }
        }
        outcome.quarantined = quarantine?.rows ?? 0
        guard outcome.rows > 0 || outcome.quarantined > 0 else { // nothing new: the lake is left byte for byte
            abort(router)
            return outcome
        }

        let now = clock.timestamp()
        for f in staged {
            metadata.files.append(FeedMetadata.DataFile(path: f.relativePath, rows: f.rows, bytes: f.bytes,
                                                        minTime: f.minTime, maxTime: f.maxTime, exportedAt: now))
        }
        for f in quarantined {
            metadata.quarantineFiles.append(FeedMetadata.DataFile(path: f.relativePath, rows: f.rows, bytes: f.bytes,
                                                                  minTime: f.minTime, maxTime: f.maxTime, exportedAt: now))
        }
        metadata.source = spec.source
        let schema = fields.map { FeedMetadata.Column(name: $0.name, type: $0.type.description) }
        var delta: DeltaChange?
        if spec.tableFormat == .delta, !staged.isEmpty || schema != metadata.schema {
            var change = DeltaChange(fields: fields, operation: "WRITE", mode: "Append", writesMetadata: schema != metadata.schema)
            change.added = staged.map { .init(relativePath: $0.relativePath, rows: $0.rows, bytes: $0.bytes, footer: $0.footer) }
            change.checks = outcome.checks
            delta = change
        }
        metadata.schema = schema
        metadata.lastExport = now
        metadata.lastChecks = outcome.checks.map(\.record)
        // The watermark never moves backwards (a clock stepped back, another host's plan).
        if window.day == nil { metadata.watermark = max(metadata.watermark ?? window.to, window.to) }
        if rebuild { overlap = OverlapSet() }
        for key in newKeys { overlap.insert(key) }
        if keyed { metadata.fingerprintKey = hasher.hex }
        if keepFrom > Int64.min { overlap.removeAll(before: keepFrom) }
        if window.day == nil { metadata.overlapFrom = keepFrom }
        let previousOverlap = metadata.overlapFile
        // Unique per commit: the plan's time in ms, so two commits in one second never share a name.
        let millis = CivilDate.pad(Int(((window.to % 1000) + 1000) % 1000), 3)
        var overlapName = "_overlap_\(stamp)_\(millis).bin"
        if overlapName == previousOverlap { overlapName = "_overlap_\(stamp)_\(millis)_2.bin" }
        try storage.put(feedDirectory.appending(overlapName), overlap.bytes, mode: spec.access.fileMode)
        metadata.overlapFile = overlapName
        metadata.latenessMs = latenessMs
        try commit.commit(&metadata, staged: staged, quarantined: quarantined, delta: delta, now: Int64(clock.now().timeIntervalSince1970 * 1000))
        // The overlap file this commit replaced goes, as the plan listed it.
        if let previousOverlap, previousOverlap != overlapName {
            let old = feedDirectory.appending(previousOverlap)
            if action.paths.contains(where: { $0.path == old.value }) { try storage.delete([old]) }
        }
        outcome.files = staged.map(\.relativePath)
        outcome.bytes = staged.reduce(0) { $0 + $1.bytes }
        outcome.quarantineFiles = quarantined.map { LakeLayout.quarantineDirectory(spec).appending($0.relativePath).value }
        return outcome
    }

    /// Deletes the staged files, and the partition directories this export created.
    func abort(_ router: StreamRowRouter) {
        for w in router.writers.values { w.abort() }
        router.quarantine?.abort()
        router.commit.removeCreated(router.createdDirectories)
    }

    /// `year=YYYY/month=MM/day=DD` for a UTC day.
    static func partitionPath(_ epochDay: Int) -> String {
        let c = CivilDate.civil(epochDay)
        return "year=\(CivilDate.pad(c.year, 4))/month=\(CivilDate.pad(c.month, 2))/day=\(CivilDate.pad(c.day, 2))"
    }
}
