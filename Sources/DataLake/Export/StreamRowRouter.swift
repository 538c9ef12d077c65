import KsqlDBClient
import KsqlParquet
import LakeStorage
import Parquet

/// Places each new row of a stream export in its day partition's file: the event time, retention,
/// the row-level quality checks and quarantine, and the open day files (at most `maxOpenDays`).
///
/// The per-row state of `StreamExporter.run` lives here rather than in variables its row closure
/// captures: a captured variable costs a dynamic exclusivity check on every access, about a twentieth
/// of a flat export's parsing thread. Only the query's thread touches it.
final class StreamRowRouter {
    let spec: FeedSpec
    let commit: FeedCommit
    let storage: any LakeStorage
    let stamp: String
    let options: ParquetWriterOptions
    let fileMaxRows: Int
    let taken: Set<String>
    let precision: TimestampPrecision
    /// Events on days before this one are past retention: not written (the next plan would expire them).
    let oldestKept: Int
    let secondsUnit: Bool

    // Set from the query's header.
    @exclusivity(unchecked) var fields: [KsqlField] = []
    @exclusivity(unchecked) var timeIndex = 0
    @exclusivity(unchecked) var checks: QualityCheckRunner?
    /// Checks run on the writers' parsed batches (no second scan of the row).
    @exclusivity(unchecked) var checksBatches = false
    @exclusivity(unchecked) var quarantine: QuarantineWriter?

    // What the rows did.
    /// The row's number in the query's answer (1-based), for errors and check examples.
    @exclusivity(unchecked) var rowNumber = 0
    @exclusivity(unchecked) var rows = 0
    @exclusivity(unchecked) var pastRetention = 0
    @exclusivity(unchecked) var newestEvent: Int64?
    @exclusivity(unchecked) private(set) var writers: [Int: PartitionFileWriter] = [:]
    @exclusivity(unchecked) private(set) var createdDirectories: [LakePath] = []
    // Rows come mostly in time order: the last writer is tried first.
    @exclusivity(unchecked) private var lastDay = Int.min
    @exclusivity(unchecked) private var lastWriter: PartitionFileWriter?
    @exclusivity(unchecked) private var openDays: [Int] = []

    /// Day files open at once (each holds an encoder thread and a descriptor): a long history or a
    /// wild timestamp column closes the least recent one, and a day that comes back starts a new file.
    static let maxOpenDays = 16

    init(spec: FeedSpec, commit: FeedCommit, storage: any LakeStorage, stamp: String, options: ParquetWriterOptions,
         fileMaxRows: Int, taken: Set<String>, precision: TimestampPrecision, oldestKept: Int) {
        self.spec = spec
        self.commit = commit
        self.storage = storage
        self.stamp = stamp
        self.options = options
        self.fileMaxRows = fileMaxRows
        self.taken = taken
        self.precision = precision
        self.oldestKept = oldestKept
        self.secondsUnit = spec.timestampUnit == .s
    }

    /// Appends one new row (its ROWTIME already read) to its day partition's writer.
    func route(_ line: UnsafeRawBufferPointer, _ rowtime: Int64) throws {
        var eventTime = rowtime
        if timeIndex != 0 {
            if let t = RowFields.element(line, timeIndex).flatMap(RowFields.epochMillis) {
                eventTime = secondsUnit ? t &* 1000 : t
            } else if !spec.timestampFallbackToRowtime {
                // The column and the row's position, never its values (the feed may be restricted).
                throw DataLakeError("export \(spec.name): row \(rowNumber) of the query has no event time in \(fields[timeIndex].name) "
                                    + "(null or not a time); set `timestamp_fallback: rowtime` to place such rows by ROWTIME")
            }
        }
        let day = CivilDate.epochDay(ms: eventTime)
        if day < oldestKept {
            pastRetention += 1
            return
        }
        if newestEvent.map({ eventTime > $0 }) ?? true { newestEvent = eventTime }
        if let checks, !checksBatches, !checks.observe(line, row: rowNumber), let quarantine {
            try quarantine.append(line, day: day, time: eventTime, failedChecks: checks.failedNamesJSON())
            return
        }
        let writer = day == lastDay ? lastWriter.unsafelyUnwrapped : try writer(forDay: day)
        try writer.append(line, time: eventTime, tag: rowNumber)
        rows += 1
    }

    /// The writer of a day other than the last row's: reopened, or new with its partition directory.
    private func writer(forDay day: Int) throws -> PartitionFileWriter {
        let writer: PartitionFileWriter
        if let w = writers[day] {
            writer = w
            if !w.isOpen { try makeRoom() }
            openDays.removeAll { $0 == day }
            openDays.append(day)
        } else {
            try makeRoom()
            openDays.append(day)
            let partition = StreamExporter.partitionPath(day)
            createdDirectories += try commit.makeDirectories(partition)
            writer = PartitionFileWriter(storage: storage, feedDirectory: commit.feedDirectory, partition: partition, prefix: "data", stamp: stamp,
                                         fields: fields, options: options, fileMaxRows: fileMaxRows,
                                         fileMode: spec.access.fileMode, taken: taken, timestamps: precision)
            if checksBatches, let checks { writer.onFlatBatch = { checks.observe(batch: $0) } }
            writers[day] = writer
        }
        lastDay = day
        lastWriter = writer
        return writer
    }

    private func makeRoom() throws {
        while openDays.count >= Self.maxOpenDays {
            let day = openDays.removeFirst()
            try writers[day]?.suspend()
        }
    }
}
