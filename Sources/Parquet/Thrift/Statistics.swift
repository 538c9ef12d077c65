/// Column chunk statistics: PLAIN-encoded min and max (absent where no order is defined) and null count.
public struct Statistics: Sendable, Hashable {
    public var nullCount: Int64?
    public var minValue: [UInt8]?
    public var maxValue: [UInt8]?

    public init(nullCount: Int64? = nil, minValue: [UInt8]? = nil, maxValue: [UInt8]? = nil) {
        self.nullCount = nullCount
        self.minValue = minValue
        self.maxValue = maxValue
    }

    func write(to w: inout CompactWriter) {
        if let nullCount { w.field(3, i64: nullCount) }
        if let maxValue { w.field(5, binary: maxValue) }
        if let minValue { w.field(6, binary: minValue) }
    }

    static func read(from r: inout CompactReader) throws(CompactReader.Malformed) -> Statistics {
        var s = Statistics()
        var legacyMin: [UInt8]?, legacyMax: [UInt8]?
        try r.readStruct { (r: inout CompactReader, id: Int16, t: UInt8) throws(CompactReader.Malformed) in
            switch id {
            case 1: legacyMax = try r.readBinary()
            case 2: legacyMin = try r.readBinary()
            case 3: s.nullCount = try r.readZigZag()
            case 5: s.maxValue = try r.readBinary()
            case 6: s.minValue = try r.readBinary()
            default: try r.skip(t)
            }
        }
        if s.minValue == nil { s.minValue = legacyMin }
        if s.maxValue == nil { s.maxValue = legacyMax }
        return s
    }
}
