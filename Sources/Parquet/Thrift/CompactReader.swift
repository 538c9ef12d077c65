/// Reads Thrift compact-protocol structs, enough to decode Parquet footers and page headers.
package struct CompactReader {
    package let bytes: [UInt8]
    package var pos: Int
    private var lastFieldID: [Int16] = [0]

    package init(_ bytes: [UInt8], at pos: Int = 0) {
        self.bytes = bytes
        self.pos = pos
    }

    package struct Malformed: Error, CustomStringConvertible {
        package var offset: Int
        package var description: String { "malformed Thrift data at byte \(offset)" }
    }

    mutating func byte() throws(Malformed) -> UInt8 {
        guard pos < bytes.count else { throw Malformed(offset: pos) }
        defer { pos += 1 }
        return bytes[pos]
    }

    package mutating func readVarint() throws(Malformed) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try byte()
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
            if shift > 63 { throw Malformed(offset: pos) }
        }
    }

    package mutating func readZigZag() throws(Malformed) -> Int64 {
        let v = try readVarint()
        return Int64(bitPattern: v >> 1) ^ -Int64(bitPattern: v & 1)
    }

    package mutating func readI32() throws(Malformed) -> Int32 { Int32(truncatingIfNeeded: try readZigZag()) }

    package mutating func readBinary() throws(Malformed) -> [UInt8] {
        let n = Int(try readVarint())
        guard n >= 0, pos + n <= bytes.count else { throw Malformed(offset: pos) }
        defer { pos += n }
        return Array(bytes[pos..<pos + n])
    }

    package mutating func readString() throws(Malformed) -> String {
        String(decoding: try readBinary(), as: UTF8.self)
    }

    package mutating func readDouble() throws(Malformed) -> Double {
        guard pos + 8 <= bytes.count else { throw Malformed(offset: pos) }
        var bits: UInt64 = 0
        for i in 0..<8 { bits |= UInt64(bytes[pos + i]) << (8 * UInt64(i)) }
        pos += 8
        return Double(bitPattern: bits)
    }

    /// Reads the next field header; nil at the struct's STOP byte.
    package mutating func nextField() throws(Malformed) -> (id: Int16, type: UInt8)? {
        let b = try byte()
        if b == 0 { return nil }
        let type = b & 0x0F
        let delta = Int16(b >> 4)
        let id: Int16
        if delta != 0 {
            id = lastFieldID[lastFieldID.count - 1] + delta
        } else {
            id = Int16(truncatingIfNeeded: try readZigZag())
        }
        lastFieldID[lastFieldID.count - 1] = id
        return (id, type)
    }

    package mutating func beginStruct() { lastFieldID.append(0) }
    package mutating func endStruct() { lastFieldID.removeLast() }

    /// Reads a list header: element count and element type.
    package mutating func readListHeader() throws(Malformed) -> (count: Int, type: UInt8) {
        let b = try byte()
        var count = Int(b >> 4)
        if count == 15 { count = Int(try readVarint()) }
        return (count, b & 0x0F)
    }

    /// Reads a struct body by calling `field` for each field; the callback must consume or skip it.
    package mutating func readStruct(_ field: (inout CompactReader, Int16, UInt8) throws(Malformed) -> Void) throws(Malformed) {
        beginStruct()
        while let (id, type) = try nextField() {
            try field(&self, id, type)
        }
        endStruct()
    }

    package mutating func readList<T>(_ element: (inout CompactReader) throws(Malformed) -> T) throws(Malformed) -> [T] {
        let (count, _) = try readListHeader()
        var out: [T] = []
        out.reserveCapacity(min(count, 1 << 16))
        for _ in 0..<count { out.append(try element(&self)) }
        return out
    }

    /// Skips a value of the given compact type (unknown fields, for forward compatibility).
    package mutating func skip(_ type: UInt8) throws(Malformed) {
        switch type {
        case 1, 2: return
        case 3: pos += 1
        case 4, 5, 6: _ = try readVarint()
        case 7: pos += 8
        case 8: _ = try readBinary()
        case 9, 10:
            let (count, et) = try readListHeader()
            for _ in 0..<count {
                if et == 1 || et == 2 { pos += 1 } else { try skip(et) }
            }
        case 11:
            let count = Int(try readVarint())
            if count > 0 {
                let kv = try byte()
                for _ in 0..<count {
                    try skip(kv >> 4)
                    try skip(kv & 0x0F)
                }
            }
        case 12:
            try readStruct { (r: inout CompactReader, _: Int16, t: UInt8) throws(Malformed) in try r.skip(t) }
        default:
            throw Malformed(offset: pos)
        }
        if pos > bytes.count { throw Malformed(offset: pos) }
    }

    /// Reads a bool field value: in compact structs the type nibble carries it.
    package static func boolValue(_ type: UInt8) -> Bool { type == 1 }
}
