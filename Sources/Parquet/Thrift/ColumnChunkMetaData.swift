/// Where and how one column chunk of a row group is stored (parquet.thrift ColumnChunk + ColumnMetaData).
public struct ColumnChunkMetaData: Sendable, Hashable {
    public var type: PhysicalType
    public var encodings: [Encoding]
    public var path: [String]
    public var codec: Compression
    /// Level entries, nulls included.
    public var numValues: Int64
    public var totalUncompressedSize: Int64
    public var totalCompressedSize: Int64
    public var dataPageOffset: Int64
    public var dictionaryPageOffset: Int64?
    public var statistics: Statistics?

    public init(type: PhysicalType, encodings: [Encoding], path: [String], codec: Compression, numValues: Int64,
                totalUncompressedSize: Int64, totalCompressedSize: Int64, dataPageOffset: Int64,
                dictionaryPageOffset: Int64?, statistics: Statistics?) {
        self.type = type
        self.encodings = encodings
        self.path = path
        self.codec = codec
        self.numValues = numValues
        self.totalUncompressedSize = totalUncompressedSize
        self.totalCompressedSize = totalCompressedSize
        self.dataPageOffset = dataPageOffset
        self.dictionaryPageOffset = dictionaryPageOffset
        self.statistics = statistics
    }

    /// The offset of the chunk's first page.
    public var startOffset: Int64 { dictionaryPageOffset ?? dataPageOffset }

    func write(to w: inout CompactWriter) {
        w.field(2, i64: startOffset)
        w.field(3) { w in
            w.field(1, i32: type.rawValue)
            w.field(2, i32List: encodings.map(\.rawValue))
            w.field(3, stringList: path)
            w.field(4, i32: codec.rawValue)
            w.field(5, i64: numValues)
            w.field(6, i64: totalUncompressedSize)
            w.field(7, i64: totalCompressedSize)
            w.field(9, i64: dataPageOffset)
            if let dictionaryPageOffset { w.field(11, i64: dictionaryPageOffset) }
            if let statistics { w.field(12) { w in statistics.write(to: &w) } }
        }
    }

    static func read(from r: inout CompactReader) throws(CompactReader.Malformed) -> ColumnChunkMetaData {
        var c = ColumnChunkMetaData(type: .boolean, encodings: [], path: [], codec: .uncompressed, numValues: 0,
                                    totalUncompressedSize: 0, totalCompressedSize: 0, dataPageOffset: 0,
                                    dictionaryPageOffset: nil, statistics: nil)
        try r.readStruct { (r: inout CompactReader, id: Int16, t: UInt8) throws(CompactReader.Malformed) in
            guard id == 3 else { try r.skip(t); return }
            try r.readStruct { (r: inout CompactReader, id: Int16, t: UInt8) throws(CompactReader.Malformed) in
                switch id {
                case 1: c.type = PhysicalType(rawValue: try r.readI32()) ?? .byteArray
                case 2: c.encodings = try r.readList { (r: inout CompactReader) throws(CompactReader.Malformed) in
                        Encoding(rawValue: try r.readI32()) ?? .plain }
                case 3: c.path = try r.readList { (r: inout CompactReader) throws(CompactReader.Malformed) in try r.readString() }
                case 4: c.codec = Compression(rawValue: try r.readI32()) ?? .uncompressed
                case 5: c.numValues = try r.readZigZag()
                case 6: c.totalUncompressedSize = try r.readZigZag()
                case 7: c.totalCompressedSize = try r.readZigZag()
                case 9: c.dataPageOffset = try r.readZigZag()
                case 11: c.dictionaryPageOffset = try r.readZigZag()
                case 12: c.statistics = try Statistics.read(from: &r)
                default: try r.skip(t)
                }
            }
        }
        return c
    }
}
