/// One node of the flattened, depth-first schema stored in the footer (parquet.thrift SchemaElement).
public struct SchemaElement: Sendable, Hashable {
    public var name: String
    public var type: PhysicalType?
    public var typeLength: Int32?
    public var repetition: Repetition?
    public var numChildren: Int32?
    public var convertedType: ConvertedType?
    public var scale: Int32?
    public var precision: Int32?
    public var logicalType: LogicalType?

    public init(name: String, type: PhysicalType? = nil, typeLength: Int32? = nil, repetition: Repetition? = nil,
                numChildren: Int32? = nil, convertedType: ConvertedType? = nil, scale: Int32? = nil,
                precision: Int32? = nil, logicalType: LogicalType? = nil) {
        self.name = name
        self.type = type
        self.typeLength = typeLength
        self.repetition = repetition
        self.numChildren = numChildren
        self.convertedType = convertedType
        self.scale = scale
        self.precision = precision
        self.logicalType = logicalType
    }

    func write(to w: inout CompactWriter) {
        if let type { w.field(1, i32: type.rawValue) }
        if let typeLength { w.field(2, i32: typeLength) }
        if let repetition { w.field(3, i32: repetition.rawValue) }
        w.field(4, string: name)
        if let numChildren { w.field(5, i32: numChildren) }
        if let convertedType { w.field(6, i32: convertedType.rawValue) }
        if let scale { w.field(7, i32: scale) }
        if let precision { w.field(8, i32: precision) }
        if let logicalType {
            w.field(10) { w in Self.writeLogical(logicalType, to: &w) }
        }
    }

    private static func writeLogical(_ t: LogicalType, to w: inout CompactWriter) {
        let empty: (inout CompactWriter) -> Void = { _ in }
        // TimeUnit is a union: field 1 MILLIS, 2 MICROS.
        func unit(_ w: inout CompactWriter, _ id: Int16 = 1) { w.field(2) { w in w.field(id, struct: empty) } }
        switch t {
        case .string: w.field(1, struct: empty)
        case .map: w.field(2, struct: empty)
        case .list: w.field(3, struct: empty)
        case let .decimal(p, s):
            w.field(5) { w in
                w.field(1, i32: Int32(s))
                w.field(2, i32: Int32(p))
            }
        case .date: w.field(6, struct: empty)
        case let .timeMillis(utc):
            w.field(7) { w in
                w.field(1, bool: utc)
                unit(&w)
            }
        case let .timestampMillis(utc):
            w.field(8) { w in
                w.field(1, bool: utc)
                unit(&w)
            }
        case let .timestampMicros(utc):
            w.field(8) { w in
                w.field(1, bool: utc)
                unit(&w, 2)
            }
        case let .integer(bits, signed):
            w.field(10) { w in
                w.fieldHeader(1, .byte)
                w.bytes.append(UInt8(truncatingIfNeeded: bits))
                w.field(2, bool: signed)
            }
        case let .other(id): w.field(id, struct: empty)
        }
    }

    static func read(from r: inout CompactReader) throws(CompactReader.Malformed) -> SchemaElement {
        var e = SchemaElement(name: "")
        try r.readStruct { (r: inout CompactReader, id: Int16, t: UInt8) throws(CompactReader.Malformed) in
            switch id {
            case 1: e.type = PhysicalType(rawValue: try r.readI32())
            case 2: e.typeLength = try r.readI32()
            case 3: e.repetition = Repetition(rawValue: try r.readI32())
            case 4: e.name = try r.readString()
            case 5: e.numChildren = try r.readI32()
            case 6: e.convertedType = ConvertedType(rawValue: try r.readI32())
            case 7: e.scale = try r.readI32()
            case 8: e.precision = try r.readI32()
            case 10: e.logicalType = try readLogical(from: &r)
            default: try r.skip(t)
            }
        }
        return e
    }

    private static func readLogical(from r: inout CompactReader) throws(CompactReader.Malformed) -> LogicalType? {
        var result: LogicalType?
        try r.readStruct { (r: inout CompactReader, id: Int16, t: UInt8) throws(CompactReader.Malformed) in
            var utc = false, millis = false, micros = false, scale = 0, precision = 0, bits = 0, signed = false
            switch id {
            case 5:
                try r.readStruct { (r: inout CompactReader, fid: Int16, ft: UInt8) throws(CompactReader.Malformed) in
                    if fid == 1 { scale = Int(try r.readI32()) } else if fid == 2 { precision = Int(try r.readI32()) } else { try r.skip(ft) }
                }
                result = .decimal(precision: precision, scale: scale)
            case 7, 8:
                try r.readStruct { (r: inout CompactReader, fid: Int16, ft: UInt8) throws(CompactReader.Malformed) in
                    if fid == 1 { utc = CompactReader.boolValue(ft) }
                    else if fid == 2 {
                        try r.readStruct { (r: inout CompactReader, uid: Int16, ut: UInt8) throws(CompactReader.Malformed) in
                            if uid == 1 { millis = true } else if uid == 2 { micros = true }
                            try r.skip(ut)
                        }
                    } else { try r.skip(ft) }
                }
                if millis { result = id == 7 ? .timeMillis(utc: utc) : .timestampMillis(utc: utc) }
                else if micros && id == 8 { result = .timestampMicros(utc: utc) } else { result = .other(id) }
            case 10:
                try r.readStruct { (r: inout CompactReader, fid: Int16, ft: UInt8) throws(CompactReader.Malformed) in
                    if fid == 1 { bits = Int(Int8(bitPattern: try r.byte())) }
                    else if fid == 2 { signed = CompactReader.boolValue(ft) } else { try r.skip(ft) }
                }
                result = .integer(bits: bits, signed: signed)
            default:
                try r.skip(t)
                switch id {
                case 1: result = .string
                case 2: result = .map
                case 3: result = .list
                case 6: result = .date
                default: result = .other(id)
                }
            }
        }
        return result
    }
}
