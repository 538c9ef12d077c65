import KsqlDBClient
import KsqlParquet
import LakeStorage
import Parquet

/// Writes the rows of one partition directory into `PREFIX_STAMP[_N].parquet` files, starting a new
/// file every `fileMaxRows` rows; files stay hidden (staged) until the export commits.
final class PartitionFileWriter {
    /// A finished, fsynced, still hidden file.
    struct StagedFile {
        var relativePath: String
        var object: any StagedObject
        var rows: Int
        var bytes: Int
        var minTime: Int64?
        var maxTime: Int64?
        /// The footer written (per-column statistics, for a Delta commit).
        var footer: FileMetaData?
    }

    let storage: any LakeStorage
    let feedDirectory: LakePath
    let partition: String
    let prefix: String
    let stamp: String
    let fields: [KsqlField]
    let options: ParquetWriterOptions
    let fileMaxRows: Int
    let fileMode: UInt16
    let timestamps: TimestampPrecision
    /// Relative paths already used (committed files): new names avoid them.
    var taken: Set<String>
    /// The open file (nil between files), its path, row count and event time range: plain stored
    /// properties so that a row's append copies no tuple and retains nothing (`current` is `writer`
    /// without reference counting).
    private var writer: KsqlParquetWriter?
    @exclusivity(unchecked) private var current: Unretained<KsqlParquetWriter>?
    private var object: (any StagedObject)?
    private var path = ""
    @exclusivity(unchecked) private var rows = 0
    @exclusivity(unchecked) private var minTime: Int64?
    @exclusivity(unchecked) private var maxTime: Int64?
    private(set) var finished: [StagedFile] = []
    /// Sees each parsed batch of rows before it is encoded (the export's quality checks), on the
    /// appending thread; only where the writer parses into batches (`KsqlParquetWriter.parsesFlatBatches`).
    var onFlatBatch: ((FlatRowBatch) -> Void)?

    init(storage: any LakeStorage, feedDirectory: LakePath, partition: String, prefix: String, stamp: String, fields: [KsqlField],
         options: ParquetWriterOptions, fileMaxRows: Int, fileMode: UInt16, taken: Set<String>, timestamps: TimestampPrecision = .millis) {
        self.timestamps = timestamps
        self.storage = storage
        self.feedDirectory = feedDirectory
        self.partition = partition
        self.prefix = prefix
        self.stamp = stamp
        self.fields = fields
        self.options = options
        self.fileMaxRows = fileMaxRows
        self.fileMode = fileMode
        self.taken = taken
    }

    /// Appends one row line; `tag` (its row number in the query's answer) goes with it into the
    /// batch `onFlatBatch` sees.
    func append(_ line: UnsafeRawBufferPointer, time: Int64?, tag: Int = 0) throws {
        if current == nil { try open() }
        try current.unsafelyUnwrapped.call { try $0.append(line: line, tag: tag) }
        rows += 1
        if let t = time {
            if minTime == nil || t < minTime.unsafelyUnwrapped { minTime = t }
            if maxTime == nil || t > maxTime.unsafelyUnwrapped { maxTime = t }
        }
        if rows >= fileMaxRows { try close() }
    }

    private func open() throws {
        var n = 1
        var name = "\(partition.isEmpty ? "" : partition + "/")\(prefix)_\(stamp).parquet"
        while taken.contains(name) {
            n += 1
            name = "\(partition.isEmpty ? "" : partition + "/")\(prefix)_\(stamp)_\(n).parquet"
        }
        taken.insert(name)
        let object = try storage.stage(feedDirectory.appending(name), mode: fileMode)
        let writer = try KsqlParquetWriter(fields: fields, sink: StagedParquetSink(object), options: options, timestamps: timestamps)
        writer.onFlatBatch = onFlatBatch
        self.writer = writer
        current = Unretained(writer)
        self.object = object
        path = name
        rows = 0
        minTime = nil
        maxTime = nil
    }

    private func close() throws {
        guard let w = writer, let o = object else { return }
        let summary = try w.finish()
        try o.finish()
        // Only now: a file that failed to close stays for `abort` to delete.
        current = nil
        writer = nil
        object = nil
        finished.append(StagedFile(relativePath: path, object: o, rows: rows, bytes: o.bytesWritten, minTime: minTime, maxTime: maxTime,
                                   footer: summary.footer))
    }

    /// True while a file is open (a writer thread and a file descriptor are held).
    var isOpen: Bool { writer != nil }

    /// Finishes the open file, if any, freeing its thread and descriptor; the next row opens a new
    /// file (`_2`, `_3`…): how an export bounds the day writers open at once.
    func suspend() throws { try close() }

    /// Closes the open file; returns every staged file.
    func finish() throws -> [StagedFile] {
        try close()
        return finished
    }

    /// Deletes every hidden file written so far.
    func abort() {
        // The writer's thread must be done with the file before it goes.
        writer?.cancel()
        object?.abort()
        current = nil
        writer = nil
        object = nil
        for f in finished { f.object.abort() }
        finished = []
    }
}
