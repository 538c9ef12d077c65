import Parquet

/// Writes the rows of one partition directory into `PREFIX_STAMP[_N].parquet` files, starting a new
/// file every `fileMaxRows` rows; files stay hidden (staged) until the export commits.
final class PartitionFileWriter {
    /// A finished, fsynced, still hidden file.
    struct StagedFile {
        var relativePath: String
        var sink: StagedFileSink
        var rows: Int
        var bytes: Int
        var minTime: Int64?
        var maxTime: Int64?
    }

    let feedDirectory: String
    let partition: String
    let prefix: String
    let stamp: String
    let fields: [KsqlField]
    let options: ParquetWriterOptions
    let fileMaxRows: Int
    let fileMode: UInt16
    /// Relative paths already used (committed files): new names avoid them.
    var taken: Set<String>
    private var current: (writer: KsqlParquetWriter, sink: StagedFileSink, path: String, rows: Int, min: Int64?, max: Int64?)?
    private(set) var finished: [StagedFile] = []

    init(feedDirectory: String, partition: String, prefix: String, stamp: String, fields: [KsqlField],
         options: ParquetWriterOptions, fileMaxRows: Int, fileMode: UInt16, taken: Set<String>) {
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

    func append(_ line: UnsafeRawBufferPointer, time: Int64?) throws {
        if current == nil { try open() }
        try current!.writer.append(lines: line)
        current!.rows += 1
        if let t = time {
            current!.min = min(current!.min ?? t, t)
            current!.max = max(current!.max ?? t, t)
        }
        if current!.rows >= fileMaxRows { try close() }
    }

    private func open() throws {
        var n = 1
        var name = "\(partition.isEmpty ? "" : partition + "/")\(prefix)_\(stamp).parquet"
        while taken.contains(name) {
            n += 1
            name = "\(partition.isEmpty ? "" : partition + "/")\(prefix)_\(stamp)_\(n).parquet"
        }
        taken.insert(name)
        let sink = try StagedFileSink(finalPath: feedDirectory + "/" + name, mode: fileMode)
        let writer = try KsqlParquetWriter(fields: fields, sink: sink, options: options)
        current = (writer, sink, name, 0, nil, nil)
    }

    private func close() throws {
        guard let c = current else { return }
        current = nil
        _ = try c.writer.finish()
        try c.sink.sync()
        finished.append(StagedFile(relativePath: c.path, sink: c.sink, rows: c.rows, bytes: c.sink.bytesWritten, minTime: c.min, maxTime: c.max))
    }

    /// Closes the open file; returns every staged file.
    func finish() throws -> [StagedFile] {
        try close()
        return finished
    }

    /// Deletes every hidden file written so far.
    func abort() {
        current?.sink.abort()
        current = nil
        for f in finished { f.sink.abort() }
        finished = []
    }
}
