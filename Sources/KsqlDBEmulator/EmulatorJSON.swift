/// A parsed JSON document for request bodies, fault settings and dataset files. Numbers keep their
/// source text so decimals stay exact; rows on the hot path never go through this type.
package enum EmulatorJSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([EmulatorJSON])
    case object([(String, EmulatorJSON)])

    package static func == (lhs: EmulatorJSON, rhs: EmulatorJSON) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.number(let a), .number(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    package subscript(key: String) -> EmulatorJSON? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.0 == key }?.1
    }

    package var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    package var intValue: Int? {
        if case .number(let text) = self { return Int(text) }
        return nil
    }

    /// Parses UTF-8 JSON text; errors name the line and column.
    package static func parse(_ bytes: [UInt8], origin: String = "JSON") throws(EmulatorError) -> EmulatorJSON {
        var reader = JSONReader(bytes: bytes, origin: origin)
        reader.skipSpaces()
        let value = try reader.value(depth: 0)
        reader.skipSpaces()
        guard reader.position == bytes.count else { throw reader.failure("unexpected text after the JSON value") }
        return value
    }
}

/// A recursive-descent JSON reader.
private struct JSONReader {
    let bytes: [UInt8]
    let origin: String
    var position = 0

    init(bytes: [UInt8], origin: String) {
        self.bytes = bytes
        self.origin = origin
    }

    func failure(_ what: String) -> EmulatorError {
        var line = 1
        var column = 1
        for byte in bytes[0..<min(position, bytes.count)] {
            if byte == 0x0A { line += 1; column = 1 } else { column += 1 }
        }
        return .badRequest("\(origin):\(line):\(column): \(what)")
    }

    mutating func skipSpaces() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    mutating func literal(_ word: StaticString, _ value: EmulatorJSON) throws(EmulatorError) -> EmulatorJSON {
        let count = word.utf8CodeUnitCount
        guard position + count <= bytes.count else { throw failure("invalid literal") }
        let matches = word.withUTF8Buffer { Array($0) == Array(bytes[position..<(position + count)]) }
        guard matches else { throw failure("invalid literal") }
        position += count
        return value
    }

    mutating func value(depth: Int) throws(EmulatorError) -> EmulatorJSON {
        guard depth < 256 else { throw failure("nesting too deep") }
        guard position < bytes.count else { throw failure("unexpected end of input") }
        switch bytes[position] {
        case UInt8(ascii: "n"): return try literal("null", .null)
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "["):
            position += 1
            var elements: [EmulatorJSON] = []
            skipSpaces()
            if position < bytes.count, bytes[position] == UInt8(ascii: "]") { position += 1; return .array([]) }
            while true {
                skipSpaces()
                elements.append(try value(depth: depth + 1))
                skipSpaces()
                guard position < bytes.count else { throw failure("unterminated array") }
                if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                if bytes[position] == UInt8(ascii: "]") { position += 1; return .array(elements) }
                throw failure("expected ',' or ']'")
            }
        case UInt8(ascii: "{"):
            position += 1
            var members: [(String, EmulatorJSON)] = []
            skipSpaces()
            if position < bytes.count, bytes[position] == UInt8(ascii: "}") { position += 1; return .object([]) }
            while true {
                skipSpaces()
                guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw failure("expected a member name") }
                let key = try string()
                skipSpaces()
                guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw failure("expected ':'") }
                position += 1
                skipSpaces()
                members.append((key, try value(depth: depth + 1)))
                skipSpaces()
                guard position < bytes.count else { throw failure("unterminated object") }
                if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                if bytes[position] == UInt8(ascii: "}") { position += 1; return .object(members) }
                throw failure("expected ',' or '}'")
            }
        default:
            return try number()
        }
    }

    mutating func number() throws(EmulatorError) -> EmulatorJSON {
        let start = position
        while position < bytes.count {
            let byte = bytes[position]
            guard (0x30...0x39).contains(byte) || byte == 0x2D || byte == 0x2B || byte == 0x2E || byte == 0x65 || byte == 0x45 else { break }
            position += 1
        }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        guard position > start, Double(text) != nil else { throw failure("invalid value") }
        return .number(text)
    }

    mutating func string() throws(EmulatorError) -> String {
        position += 1
        var out: [UInt8] = []
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            if byte == UInt8(ascii: "\"") { return String(decoding: out, as: UTF8.self) }
            guard byte == UInt8(ascii: "\\") else {
                out.append(byte)
                continue
            }
            guard position < bytes.count else { break }
            let escape = bytes[position]
            position += 1
            switch escape {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800..<0xDC00).contains(scalar), position + 1 < bytes.count,
                   bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") {
                    position += 2
                    let low = try hex4()
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let unicode = Unicode.Scalar(scalar) else { throw failure("invalid \\u escape") }
                out.append(contentsOf: Array(String(Character(unicode)).utf8))
            default: out.append(escape)
            }
        }
        throw failure("unterminated string")
    }

    mutating func hex4() throws(EmulatorError) -> UInt32 {
        guard position + 4 <= bytes.count else { throw failure("invalid \\u escape") }
        var value: UInt32 = 0
        for byte in bytes[position..<(position + 4)] {
            let digit: UInt32
            switch byte {
            case 0x30...0x39: digit = UInt32(byte - 0x30)
            case 0x41...0x46: digit = UInt32(byte - 0x37)
            case 0x61...0x66: digit = UInt32(byte - 0x57)
            default: throw failure("invalid \\u escape")
            }
            value = value << 4 | digit
        }
        position += 4
        return value
    }
}
