/// The footer of a Parquet file (parquet.thrift FileMetaData).
public struct FileMetaData: Sendable, Hashable {
    public var version: Int32
    public var schema: [SchemaElement]
    public var numRows: Int64
    public var rowGroups: [RowGroupMetaData]
    public var keyValueMetadata: [(key: String, value: String?)]
    public var createdBy: String?
    /// True when the footer declares TypeDefinedOrder for its columns, i.e. min/max are trustworthy.
    public var hasColumnOrders: Bool

    public init(version: Int32 = 1, schema: [SchemaElement], numRows: Int64, rowGroups: [RowGroupMetaData],
                keyValueMetadata: [(key: String, value: String?)], createdBy: String?, hasColumnOrders: Bool) {
        self.version = version
        self.schema = schema
        self.numRows = numRows
        self.rowGroups = rowGroups
        self.keyValueMetadata = keyValueMetadata
        self.createdBy = createdBy
        self.hasColumnOrders = hasColumnOrders
    }

    public static func == (a: FileMetaData, b: FileMetaData) -> Bool {
        a.version == b.version && a.schema == b.schema && a.numRows == b.numRows && a.rowGroups == b.rowGroups
            && a.keyValueMetadata.map(\.key) == b.keyValueMetadata.map(\.key)
            && a.keyValueMetadata.map(\.value) == b.keyValueMetadata.map(\.value)
            && a.createdBy == b.createdBy && a.hasColumnOrders == b.hasColumnOrders
    }

    public func hash(into h: inout Hasher) {
        h.combine(schema)
        h.combine(numRows)
        h.combine(rowGroups)
    }

    /// The number of leaf (primitive) columns.
    public var leafCount: Int { schema.filter { $0.type != nil }.count }

    func serialized() -> [UInt8] {
        var w = CompactWriter()
        w.beginStruct()
        w.field(1, i32: version)
        w.field(2, structList: schema) { w, e in e.write(to: &w) }
        w.field(3, i64: numRows)
        w.field(4, structList: Array(rowGroups.enumerated())) { w, g in g.element.write(to: &w, ordinal: Int16(truncatingIfNeeded: g.offset)) }
        if !keyValueMetadata.isEmpty {
            w.field(5, structList: keyValueMetadata) { w, kv in
                w.field(1, string: kv.key)
                if let v = kv.value { w.field(2, string: v) }
            }
        }
        if let createdBy { w.field(6, string: createdBy) }
        if hasColumnOrders {
            w.field(7, structList: Array(repeating: (), count: leafCount)) { w, _ in
                w.field(1) { _ in }
            }
        }
        w.endStruct()
        return w.bytes
    }

    static func read(from r: inout CompactReader) throws(CompactReader.Malformed) -> FileMetaData {
        var m = FileMetaData(schema: [], numRows: 0, rowGroups: [], keyValueMetadata: [], createdBy: nil, hasColumnOrders: false)
        try r.readStruct { (r: inout CompactReader, id: Int16, t: UInt8) throws(CompactReader.Malformed) in
            switch id {
            case 1: m.version = try r.readI32()
            case 2: m.schema = try r.readList { (r: inout CompactReader) throws(CompactReader.Malformed) in try SchemaElement.read(from: &r) }
            case 3: m.numRows = try r.readZigZag()
            case 4: m.rowGroups = try r.readList { (r: inout CompactReader) throws(CompactReader.Malformed) in try RowGroupMetaData.read(from: &r) }
            case 5:
                m.keyValueMetadata = try r.readList { (r: inout CompactReader) throws(CompactReader.Malformed) in
                    var k = "", v: String?
                    try r.readStruct { (r: inout CompactReader, id: Int16, t: UInt8) throws(CompactReader.Malformed) in
                        if id == 1 { k = try r.readString() } else if id == 2 { v = try r.readString() } else { try r.skip(t) }
                    }
                    return (key: k, value: v)
                }
            case 6: m.createdBy = try r.readString()
            case 7:
                m.hasColumnOrders = true
                try r.skip(t)
            default: try r.skip(t)
            }
        }
        return m
    }
}
