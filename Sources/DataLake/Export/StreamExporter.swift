import Foundation

/// Runs one `export` action: reads the stream's events in the plan's window over `/query-stream`,
/// drops the rows an earlier export already wrote (the overlap multiset), writes the rest into day
/// partitions by event time, and commits them with the new watermark.
package struct StreamExporter {
    package var settings: ExportSettings
    package var layout: LakeLayout
    package var clock: Clock

    package init(settings: ExportSettings, layout: LakeLayout, clock: Clock) {
        self.settings = settings
        self.layout = layout
        self.clock = clock
    }

    /// `progress` gets the running row count after each batch.
    package func run(_ action: PlanAction, progress: (Int) -> Void = { _ in }) async throws -> ExportOutcome {
        let spec = action.spec
        guard let window = action.window else { throw DataLakeError("export \(spec.name): the plan gives no window") }
        let (commit, opened) = try FeedCommit.open(spec, layout: layout)
        var metadata = opened
        let feedDirectory = commit.feedDirectory
        var overlap = OverlapSet()
        if let name = metadata.overlapFile, FileIO.exists(feedDirectory + "/" + name) {
            overlap = try OverlapSet(bytes: FileIO.read(feedDirectory + "/" + name))
        }
        let latenessMs = Int64(spec.latenessMinutes ?? 0) * 60_000

        var lower = window.from
        var upper = window.to
        if let day = window.day, let dayNumber = Self.epochDay(of: day) {
            let start = Int64(dayNumber) * 86_400_000
            lower = max(lower ?? start, start)
            upper = min(upper, start + 86_400_000)
        }
        var conditions: [String] = []
        if let lower { conditions.append("ROWTIME >= \(lower)") }
        conditions.append("ROWTIME < \(upper)")
        let sql = "SELECT ROWTIME, * FROM \(spec.source) WHERE \(conditions.joined(separator: " AND "));"

        var writers: [Int: PartitionFileWriter] = [:]
        var fields: [KsqlField] = []
        var timeIndex = 0
        var seen: [OverlapSet.Key: Int] = [:]
        var newKeys: [OverlapSet.Key] = []
        // Only rows at or after the next overlap window's start need a fingerprint kept: older ones
        // can never be read again. The memory of an export is then bounded by the lateness window,
        // not by the stream's size.
        let keepFrom: Int64 = window.day == nil ? window.to - latenessMs : (metadata.watermark.map { $0 - latenessMs } ?? Int64.min)
        var outcome = ExportOutcome()
        let taken = Set(metadata.files.map(\.path))
        let options = settings.writerOptions
        let stamp = window.stamp
        var lastDay = Int.min
        var lastWriter: PartitionFileWriter?
        /// Appends one new row to its day partition's writer (rows come mostly in time order, so the
        /// last writer is tried first).
        func route(_ line: UnsafeRawBufferPointer, _ rowtime: Int64) throws {
            let eventTime = timeIndex == 0 ? rowtime : (RowFields.element(line, timeIndex).flatMap(RowFields.epochMillis) ?? rowtime)
            let day = CivilDate.epochDay(ms: eventTime)
            let writer: PartitionFileWriter
            if day == lastDay, let w = lastWriter {
                writer = w
            } else if let w = writers[day] {
                writer = w
            } else {
                let partition = CivilDate.partitionPath(day)
                try commit.makeDirectories(partition, mode: spec.access.directoryMode)
                writer = PartitionFileWriter(feedDirectory: feedDirectory, partition: partition, prefix: "data", stamp: stamp,
                                             fields: fields, options: options, fileMaxRows: settings.parquet.fileMaxRows,
                                             fileMode: spec.access.fileMode, taken: taken)
                writers[day] = writer
            }
            lastDay = day
            lastWriter = writer
            try writer.append(line, time: eventTime)
            outcome.rows += 1
        }
        do {
            _ = try await settings.client.streamQuery(sql, onHeader: { header in
                fields = header.columns
                guard fields.first?.name == "ROWTIME" else {
                    throw DataLakeError("export \(spec.name): ksqlDB did not return ROWTIME first")
                }
                let wanted = spec.timestampColumn ?? "ROWTIME"
                guard let index = fields.firstIndex(where: { $0.name.uppercased() == wanted.uppercased() }) else {
                    throw DataLakeError("export \(spec.name): the source has no column \(wanted) (timestamp_column)")
                }
                timeIndex = index
            }, onRows: { batch in
                try batch.forEachLine { line in
                    guard let rowtime = RowFields.leadingInt64(line) else {
                        throw DataLakeError("export \(spec.name): a row without a ROWTIME: \(String(decoding: line.prefix(80), as: UTF8.self))")
                    }
                    let mayRepeat = overlap.contains(time: rowtime)
                    guard mayRepeat || rowtime >= keepFrom else {
                        try route(line, rowtime)
                        return
                    }
                    let key = OverlapSet.Key(time: rowtime, hash: RowFields.fingerprint(line))
                    if mayRepeat && overlap.multiplicity(key) > 0 {
                        let n = seen[key, default: 0] + 1
                        seen[key] = n
                        if n <= overlap.multiplicity(key) {
                            outcome.duplicatesDropped += 1
                            return
                        }
                    }
                    if rowtime >= keepFrom { newKeys.append(key) }
                    try route(line, rowtime)
                }
                progress(outcome.rows)
            })
        } catch {
            abort(writers, feedDirectory: feedDirectory)
            throw error
        }

        guard outcome.rows > 0 else { return outcome } // nothing new: the lake is left byte for byte

        var staged: [PartitionFileWriter.StagedFile] = []
        do {
            for day in writers.keys.sorted() { staged += try writers[day]!.finish() }
        } catch {
            abort(writers, feedDirectory: feedDirectory)
            throw error
        }
        let now = clock.timestamp()
        for f in staged {
            metadata.files.append(FeedMetadata.DataFile(path: f.relativePath, rows: f.rows, bytes: f.bytes,
                                                        minTime: f.minTime, maxTime: f.maxTime, exportedAt: now))
        }
        metadata.source = spec.source
        metadata.schema = fields.map { FeedMetadata.Column(name: $0.name, type: $0.type.description) }
        metadata.lastExport = now
        if window.day == nil { metadata.watermark = window.to }
        for key in newKeys { overlap.insert(key) }
        if let w = metadata.watermark { overlap.removeAll(before: w - latenessMs) }
        let previousOverlap = metadata.overlapFile
        let overlapName = "_overlap_\(stamp).bin"
        try FileIO.writeAtomically(feedDirectory + "/" + overlapName, overlap.bytes, mode: spec.access.fileMode)
        metadata.overlapFile = overlapName
        metadata.latenessMs = latenessMs
        try commit.commit(&metadata, staged: staged)
        if let previousOverlap, previousOverlap != overlapName { try? FileIO.remove(feedDirectory + "/" + previousOverlap) }
        outcome.files = staged.map(\.relativePath)
        outcome.bytes = staged.reduce(0) { $0 + $1.bytes }
        return outcome
    }

    /// Deletes the hidden files and the partition directories this export created and left empty.
    func abort(_ writers: [Int: PartitionFileWriter], feedDirectory: String) {
        for w in writers.values {
            w.abort()
            FileIO.removeEmptyParents(of: feedDirectory + "/" + w.partition + "/-", upTo: feedDirectory)
        }
    }

    /// `YYYY-MM-DD` → UTC day number.
    package static func epochDay(of text: String) -> Int? {
        let parts = text.split(separator: "-")
        guard parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              (1...12).contains(m), (1...31).contains(d) else { return nil }
        return CivilDate.epochDay(year: y, month: m, day: d)
    }
}
