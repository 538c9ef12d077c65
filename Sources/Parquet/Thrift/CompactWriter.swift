/// Serializes Thrift structs with the compact protocol, the encoding of every Parquet header and footer.
package struct CompactWriter {
    package var bytes: [UInt8] = []
    private var lastFieldID: [Int16] = [0]

    package init() {}

    package enum FieldType: UInt8 {
        case boolTrue = 1, boolFalse = 2, byte = 3, i16 = 4, i32 = 5, i64 = 6, double = 7
        case binary = 8, list = 9, set = 10, map = 11, `struct` = 12
    }

    package mutating func writeVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    package mutating func writeZigZag(_ value: Int64) {
        writeVarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    /// Field headers encode the id as a delta from the previous field of the same struct when it fits.
    package mutating func fieldHeader(_ id: Int16, _ type: FieldType) {
        let delta = id - lastFieldID[lastFieldID.count - 1]
        if delta > 0 && delta <= 15 {
            bytes.append(UInt8(delta) << 4 | type.rawValue)
        } else {
            bytes.append(type.rawValue)
            writeZigZag(Int64(id))
        }
        lastFieldID[lastFieldID.count - 1] = id
    }

    package mutating func beginStruct() { lastFieldID.append(0) }

    package mutating func endStruct() {
        bytes.append(0)
        lastFieldID.removeLast()
    }

    package mutating func field(_ id: Int16, i32 value: Int32) {
        fieldHeader(id, .i32)
        writeZigZag(Int64(value))
    }

    package mutating func field(_ id: Int16, i64 value: Int64) {
        fieldHeader(id, .i64)
        writeZigZag(value)
    }

    package mutating func field(_ id: Int16, bool value: Bool) {
        fieldHeader(id, value ? .boolTrue : .boolFalse)
    }

    package mutating func field(_ id: Int16, binary value: [UInt8]) {
        fieldHeader(id, .binary)
        writeVarint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    package mutating func field(_ id: Int16, string value: String) {
        field(id, binary: Array(value.utf8))
    }

    package mutating func listHeader(_ count: Int, _ elementType: FieldType) {
        if count < 15 {
            bytes.append(UInt8(count) << 4 | elementType.rawValue)
        } else {
            bytes.append(0xF0 | elementType.rawValue)
            writeVarint(UInt64(count))
        }
    }

    package mutating func field(_ id: Int16, i32List values: [Int32]) {
        fieldHeader(id, .list)
        listHeader(values.count, .i32)
        for v in values { writeZigZag(Int64(v)) }
    }

    package mutating func field(_ id: Int16, stringList values: [String]) {
        fieldHeader(id, .list)
        listHeader(values.count, .binary)
        for v in values {
            let u = Array(v.utf8)
            writeVarint(UInt64(u.count))
            bytes.append(contentsOf: u)
        }
    }

    /// Writes a struct-typed field whose body `body` fills.
    package mutating func field(_ id: Int16, struct body: (inout CompactWriter) -> Void) {
        fieldHeader(id, .struct)
        beginStruct()
        body(&self)
        endStruct()
    }

    /// Writes a list-of-structs field, one `body` call per element.
    package mutating func field<T>(_ id: Int16, structList values: [T], _ body: (inout CompactWriter, T) -> Void) {
        fieldHeader(id, .list)
        listHeader(values.count, .struct)
        for v in values {
            beginStruct()
            body(&self, v)
            endStruct()
        }
    }
}
