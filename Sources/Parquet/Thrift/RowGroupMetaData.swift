/// One row group of a file: its rows, sizes and column chunks (parquet.thrift RowGroup).
public struct RowGroupMetaData: Sendable, Hashable {
    public var columns: [ColumnChunkMetaData]
    /// Uncompressed size of all column data.
    public var totalByteSize: Int64
    public var numRows: Int64
    public var totalCompressedSize: Int64?

    public init(columns: [ColumnChunkMetaData], totalByteSize: Int64, numRows: Int64, totalCompressedSize: Int64?) {
        self.columns = columns
        self.totalByteSize = totalByteSize
        self.numRows = numRows
        self.totalCompressedSize = totalCompressedSize
    }

    func write(to w: inout CompactWriter, ordinal: Int16) {
        w.field(1, structList: columns) { w, c in c.write(to: &w) }
        w.field(2, i64: totalByteSize)
        w.field(3, i64: numRows)
        if let first = columns.first { w.field(5, i64: first.startOffset) }
        if let totalCompressedSize { w.field(6, i64: totalCompressedSize) }
        w.fieldHeader(7, .i16)
        w.writeZigZag(Int64(ordinal))
    }

    static func read(from r: inout CompactReader) throws(CompactReader.Malformed) -> RowGroupMetaData {
        var g = RowGroupMetaData(columns: [], totalByteSize: 0, numRows: 0, totalCompressedSize: nil)
        try r.readStruct { (r: inout CompactReader, id: Int16, t: UInt8) throws(CompactReader.Malformed) in
            switch id {
            case 1: g.columns = try r.readList { (r: inout CompactReader) throws(CompactReader.Malformed) in try ColumnChunkMetaData.read(from: &r) }
            case 2: g.totalByteSize = try r.readZigZag()
            case 3: g.numRows = try r.readZigZag()
            case 6: g.totalCompressedSize = try r.readZigZag()
            default: try r.skip(t)
            }
        }
        return g
    }
}
