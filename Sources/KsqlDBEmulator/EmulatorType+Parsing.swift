extension EmulatorType {
    /// Parses a ksqlDB type string such as ``STRUCT<`F1` STRING, F2 DECIMAL(4, 2)>``;
    /// unquoted struct field names are upper-cased, as ksqlDB does.
    package init(parsing text: String) throws(EmulatorError) {
        var parser = TypeTextParser(bytes: Array(text.utf8), text: text)
        let type = try parser.parseType()
        parser.skipSpaces()
        guard parser.position == parser.bytes.count else { throw parser.failure("unexpected text") }
        self = type
    }
}

/// A recursive-descent reader over the bytes of a type string.
private struct TypeTextParser {
    let bytes: [UInt8]
    let text: String
    var position = 0

    init(bytes: [UInt8], text: String) {
        self.bytes = bytes
        self.text = text
    }

    func failure(_ what: String) -> EmulatorError {
        .badRequest("invalid type '\(text)': \(what) at column \(position + 1)")
    }

    mutating func skipSpaces() {
        while position < bytes.count, bytes[position] == 0x20 || bytes[position] == 0x09 || bytes[position] == 0x0A { position += 1 }
    }

    mutating func expect(_ byte: UInt8) throws(EmulatorError) {
        skipSpaces()
        guard position < bytes.count, bytes[position] == byte else {
            throw failure("expected '\(Character(Unicode.Scalar(byte)))'")
        }
        position += 1
    }

    mutating func peek(_ byte: UInt8) -> Bool {
        skipSpaces()
        return position < bytes.count && bytes[position] == byte
    }

    mutating func word() throws(EmulatorError) -> String {
        skipSpaces()
        let start = position
        while position < bytes.count {
            let b = bytes[position]
            guard (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x5F else { break }
            position += 1
        }
        guard position > start else { throw failure("expected a name") }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    mutating func integer() throws(EmulatorError) -> Int {
        let w = try word()
        guard let value = Int(w) else { throw failure("expected a number") }
        return value
    }

    mutating func fieldName() throws(EmulatorError) -> String {
        skipSpaces()
        if position < bytes.count, bytes[position] == 0x60 {
            position += 1
            let start = position
            while position < bytes.count, bytes[position] != 0x60 { position += 1 }
            guard position < bytes.count else { throw failure("unterminated `name`") }
            let name = String(decoding: bytes[start..<position], as: UTF8.self)
            position += 1
            return name
        }
        return try word().uppercased()
    }

    mutating func parseType() throws(EmulatorError) -> EmulatorType {
        let name = try word().uppercased()
        switch name {
        case "BOOLEAN": return .boolean
        case "INT", "INTEGER": return .integer
        case "BIGINT": return .bigint
        case "DOUBLE": return .double
        case "STRING", "VARCHAR": return .string
        case "BYTES": return .bytes
        case "DATE": return .date
        case "TIME": return .time
        case "TIMESTAMP": return .timestamp
        case "DECIMAL":
            try expect(0x28)
            let precision = try integer()
            try expect(0x2C)
            let scale = try integer()
            try expect(0x29)
            guard precision >= 1, precision <= 38, scale >= 0, scale <= precision else {
                throw failure("DECIMAL precision must be 1...38 and scale 0...precision")
            }
            guard precision <= 18 else { throw failure("the emulator keeps decimals in 64 bits: precision ≤ 18") }
            return .decimal(precision: precision, scale: scale)
        case "ARRAY":
            try expect(0x3C)
            let element = try parseType()
            try expect(0x3E)
            return .array(element)
        case "MAP":
            try expect(0x3C)
            let key = try parseType()
            try expect(0x2C)
            let value = try parseType()
            try expect(0x3E)
            return .map(key: key, value: value)
        case "STRUCT":
            try expect(0x3C)
            var fields: [EmulatorField] = []
            if peek(0x3E) { position += 1; return .structure([]) }
            repeat {
                if !fields.isEmpty { position += 1 }
                let field = try fieldName()
                fields.append(EmulatorField(field, try parseType()))
            } while peek(0x2C)
            try expect(0x3E)
            return .structure(fields)
        default:
            throw failure("unknown type \(name)")
        }
    }
}
