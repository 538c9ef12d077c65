/// Writes one Parquet file: rows are appended column by column through `columns` (one writer per leaf,
/// in schema order), each row closed with `endRow()`; row groups are cut by the options' row count and
/// byte size; `close()` writes the footer. Memory is bounded by one row group.
public final class ParquetWriter {
    public let schema: ParquetSchema
    public let options: ParquetWriterOptions
    public let columns: [ColumnWriter]
    private let sink: ParquetSink
    private var keyValueMetadata: [(key: String, value: String?)]
    private var offset: Int64 = 0
    private var rowGroups: [RowGroupMetaData] = []
    private var rowsInGroup = 0
    private var totalRows: Int64 = 0
    private var nextByteCheck = 1024
    private var closed = false

    public init(schema: ParquetSchema, sink: ParquetSink, options: ParquetWriterOptions = ParquetWriterOptions(),
                keyValueMetadata: [(key: String, value: String)] = []) throws {
        switch options.compression {
        case .uncompressed, .snappy, .zstd: break
        default: throw ParquetError("compression codec \(options.compression.name) is not supported by this writer")
        }
        self.schema = schema
        self.options = options
        self.sink = sink
        self.keyValueMetadata = keyValueMetadata.map { (key: $0.key, value: Optional($0.value)) }
        self.columns = schema.columns.map { ColumnWriter(descriptor: $0, options: options) }
        try write(Array("PAR1".utf8))
    }

    /// Rows written so far, including the open row group.
    public var rowCount: Int64 { totalRows + Int64(rowsInGroup) }

    /// Bytes written to the sink so far.
    public var bytesWritten: Int64 { offset }

    /// Adds or replaces a footer key/value pair before `close()`.
    public func setMetadata(_ key: String, _ value: String) {
        keyValueMetadata.removeAll { $0.key == key }
        keyValueMetadata.append((key: key, value: value))
    }

    /// Declares the current row complete; cuts a row group when a limit is reached.
    @inline(__always)
    public func endRow() throws {
        rowsInGroup += 1
        if rowsInGroup >= options.rowGroupRowLimit {
            try flushRowGroup()
        } else if rowsInGroup >= nextByteCheck {
            nextByteCheck = rowsInGroup + 1024
            if bufferedBytes >= options.rowGroupByteLimit { try flushRowGroup() }
        }
    }

    /// Rows the open row group can still take before its row limit; for callers that append column
    /// by column (`endRows`), which must not cross a row group boundary in one call.
    public var rowsLeftInGroup: Int { options.rowGroupRowLimit - rowsInGroup }

    /// Declares `count` rows complete after they were appended column by column; `count` must not
    /// exceed `rowsLeftInGroup`. Cuts a row group when a limit is reached.
    public func endRows(_ count: Int) throws {
        precondition(count <= rowsLeftInGroup, "endRows crosses a row group boundary")
        rowsInGroup += count
        if rowsInGroup >= options.rowGroupRowLimit || bufferedBytes >= options.rowGroupByteLimit { try flushRowGroup() }
    }

    /// Bytes buffered for the open row group.
    public var bufferedBytes: Int { columns.reduce(0) { $0 + $1.bufferedBytes } }

    private func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try sink.write($0) }
        offset += Int64(bytes.count)
    }

    /// Writes the open row group out, if it has rows.
    public func flushRowGroup() throws {
        guard rowsInGroup > 0 else { return }
        var chunks: [ColumnChunkMetaData] = []
        var uncompressed: Int64 = 0
        var compressed: Int64 = 0
        for c in columns {
            let out = c.finishChunk()
            let start = offset
            var dictOffset: Int64?
            if !out.dictionaryPage.isEmpty {
                dictOffset = offset
                try write(out.dictionaryPage)
            }
            let dataOffset = offset
            try write(out.dataPages)
            let size = offset - start
            uncompressed += Int64(out.uncompressedSize)
            compressed += size
            chunks.append(ColumnChunkMetaData(
                type: c.descriptor.physicalType, encodings: out.encodings, path: c.descriptor.path,
                codec: options.compression, numValues: Int64(out.numValues),
                totalUncompressedSize: Int64(out.uncompressedSize), totalCompressedSize: size,
                dataPageOffset: dataOffset, dictionaryPageOffset: dictOffset, statistics: out.statistics))
        }
        rowGroups.append(RowGroupMetaData(columns: chunks, totalByteSize: uncompressed, numRows: Int64(rowsInGroup),
                                          totalCompressedSize: compressed))
        totalRows += Int64(rowsInGroup)
        rowsInGroup = 0
        nextByteCheck = 1024
    }

    /// Flushes the last row group and writes the footer; returns the footer written.
    @discardableResult
    public func close() throws -> FileMetaData {
        precondition(!closed, "ParquetWriter closed twice")
        try flushRowGroup()
        closed = true
        let meta = FileMetaData(version: 1, schema: schema.elements, numRows: totalRows, rowGroups: rowGroups,
                                keyValueMetadata: keyValueMetadata, createdBy: options.createdBy, hasColumnOrders: true)
        let footer = meta.serialized()
        try write(footer)
        let n = UInt32(footer.count)
        try write([UInt8(n & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n >> 16 & 0xFF), UInt8(n >> 24)] + Array("PAR1".utf8))
        return meta
    }
}
