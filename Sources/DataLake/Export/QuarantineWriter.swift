import KsqlDBClient
import KsqlParquet
import LakeStorage
import Parquet

/// The quarantine side of an `on_check_failure: quarantine` export: rows that failed an
/// error-severity check, each with the names of those checks in `_failed_checks`, staged into
/// `quarantine/<feed>/year=/month=/day=/` files that the export's commit publishes with its data.
final class QuarantineWriter {
    /// The column added to the feed's own.
    static let column = KsqlField(name: "_failed_checks", type: .array(.string))
    /// Quarantine day files open at once: failing rows are few, and each open file holds a thread.
    static let maxOpenDays = 4

    let commit: FeedCommit
    let directory: LakePath
    let stamp: String
    let fields: [KsqlField]
    let options: ParquetWriterOptions
    let fileMaxRows: Int
    let timestamps: TimestampPrecision
    private let taken: Set<String>
    private var writers: [Int: PartitionFileWriter] = [:]
    private var openDays: [Int] = []
    private var line: [UInt8] = []
    /// Directories the first rows created (an abort removes them when empty).
    private(set) var created: [LakePath] = []
    private(set) var rows = 0

    init(commit: FeedCommit, fields: [KsqlField], stamp: String, options: ParquetWriterOptions, fileMaxRows: Int,
         timestamps: TimestampPrecision, taken: Set<String>) {
        self.commit = commit
        directory = LakeLayout.quarantineDirectory(commit.spec)
        self.fields = fields + [Self.column]
        self.stamp = stamp
        self.options = options
        self.fileMaxRows = fileMaxRows
        self.timestamps = timestamps
        self.taken = taken
    }

    /// Writes `row` (a JSON array line) into its day's file with `failedChecks` (a JSON array of
    /// strings) appended as the last element.
    func append(_ row: UnsafeRawBufferPointer, day: Int, time: Int64, failedChecks: [UInt8]) throws {
        guard var end = row.lastIndex(of: 0x5D) else { throw DataLakeError("quarantine: a row that is not a JSON array") }
        // `[]` has no element to put a comma after.
        var start = row.startIndex
        while start < end, row[start] != 0x5B { start += 1 }
        let empty = row[(start + 1)..<end].allSatisfy { $0 == 0x20 || $0 == 0x09 }
        if empty { end = start + 1 }
        line.removeAll(keepingCapacity: true)
        line.append(contentsOf: UnsafeRawBufferPointer(rebasing: row[row.startIndex..<end]))
        if !empty { line.append(0x2C) }
        line.append(contentsOf: failedChecks)
        line.append(0x5D)
        let writer = try writer(for: day)
        try line.withUnsafeBytes { try writer.append($0, time: time) }
        rows += 1
    }

    private func writer(for day: Int) throws -> PartitionFileWriter {
        if let w = writers[day] {
            if !w.isOpen { try makeRoom() }
            openDays.removeAll { $0 == day }
            openDays.append(day)
            return w
        }
        try makeRoom()
        openDays.append(day)
        let partition = StreamExporter.partitionPath(day)
        created += try commit.makeDirectories(partition, under: directory)
        let w = PartitionFileWriter(storage: commit.storage, feedDirectory: directory, partition: partition, prefix: "data", stamp: stamp,
                                    fields: fields, options: options, fileMaxRows: fileMaxRows, fileMode: commit.spec.access.fileMode,
                                    taken: taken, timestamps: timestamps)
        writers[day] = w
        return w
    }

    private func makeRoom() throws {
        while openDays.count >= Self.maxOpenDays {
            try writers[openDays.removeFirst()]?.suspend()
        }
    }

    /// Closes every file; returns them, staged (relative to `quarantine/<feed>`).
    func finish() throws -> [PartitionFileWriter.StagedFile] {
        var staged: [PartitionFileWriter.StagedFile] = []
        for day in writers.keys.sorted() { staged += try writers[day]!.finish() }
        return staged
    }

    /// Deletes every staged file and the directories this writer created.
    func abort() {
        for w in writers.values { w.abort() }
        commit.removeCreated(created)
    }
}
