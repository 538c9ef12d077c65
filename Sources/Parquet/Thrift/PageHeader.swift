/// The header in front of every page (parquet.thrift PageHeader), data page v1 or dictionary page.
struct PageHeader {
    enum Kind {
        case data(numValues: Int32, encoding: Encoding)
        case dictionary(numValues: Int32)
    }

    var kind: Kind
    var uncompressedSize: Int32
    var compressedSize: Int32

    func serialized() -> [UInt8] {
        var w = CompactWriter()
        w.beginStruct()
        switch kind {
        case let .data(numValues, encoding):
            w.field(1, i32: 0)
            w.field(2, i32: uncompressedSize)
            w.field(3, i32: compressedSize)
            w.field(5) { w in
                w.field(1, i32: numValues)
                w.field(2, i32: encoding.rawValue)
                w.field(3, i32: Encoding.rle.rawValue)
                w.field(4, i32: Encoding.rle.rawValue)
            }
        case let .dictionary(numValues):
            w.field(1, i32: 2)
            w.field(2, i32: uncompressedSize)
            w.field(3, i32: compressedSize)
            w.field(7) { w in
                w.field(1, i32: numValues)
                w.field(2, i32: Encoding.plain.rawValue)
            }
        }
        w.endStruct()
        return w.bytes
    }
}
