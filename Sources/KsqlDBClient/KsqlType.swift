import Foundation

/// A ksqlDB SQL type, as reported in `/query-stream` headers (`columnTypes`) and `DESCRIBE` schemas.
package indirect enum KsqlType: Hashable, Sendable {
    case boolean
    case integer
    case bigint
    case double
    case decimal(precision: Int, scale: Int)
    case string
    case bytes
    case date
    case time
    case timestamp
    case array(KsqlType)
    case map(key: KsqlType, value: KsqlType)
    case `struct`([KsqlField])
}

/// One named field of a ksqlDB `STRUCT` (or one column of a source).
package struct KsqlField: Hashable, Sendable {
    package var name: String
    package var type: KsqlType

    package init(name: String, type: KsqlType) {
        self.name = name
        self.type = type
    }
}

/// A type string that ksqlDB would not have produced.
package struct KsqlTypeParseError: Error, CustomStringConvertible, Equatable {
    package var text: String
    package var offset: Int
    package var reason: String
    package var description: String { "invalid ksqlDB type \"\(shownText)\" at offset \(offset): \(reason)" }

    /// The text on one line, its start only when long (a hostile type string can be megabytes).
    private var shownText: String {
        let flat = String(text.map { $0.isNewline ? " " : $0 })
        return flat.count > 200 ? String(flat.prefix(200)) + "…" : flat
    }
}

extension KsqlType: CustomStringConvertible {
    /// The type in ksqlDB's own spelling (`SqlType.toString`): `DECIMAL(4, 2)`, ``STRUCT<`F1` STRING>``,
    /// `MAP<STRING, INTEGER>`, `STRUCT< >` for the empty struct.
    package var description: String {
        switch self {
        case .boolean: return "BOOLEAN"
        case .integer: return "INTEGER"
        case .bigint: return "BIGINT"
        case .double: return "DOUBLE"
        case let .decimal(p, s): return "DECIMAL(\(p), \(s))"
        case .string: return "STRING"
        case .bytes: return "BYTES"
        case .date: return "DATE"
        case .time: return "TIME"
        case .timestamp: return "TIMESTAMP"
        case let .array(e): return "ARRAY<\(e)>"
        case let .map(k, v): return "MAP<\(k), \(v)>"
        case let .struct(fields):
            if fields.isEmpty { return "STRUCT< >" }
            let inner = fields.map { "`\($0.name.replacingOccurrences(of: "`", with: "``"))` \($0.type)" }
            return "STRUCT<" + inner.joined(separator: ", ") + ">"
        }
    }


    /// How deep ARRAY, MAP and STRUCT may nest: far beyond any real schema, and a deeper type (from a
    /// hostile server or a typo) is a parse error instead of a recursion that could exhaust the stack.
    package static let maxNestingDepth = 32

    /// Parses a ksqlDB type string. Accepts ksqlDB's canonical spelling plus the aliases a user may
    /// write (`INT`, `VARCHAR`, unquoted struct field names, any spacing and case); ARRAY, MAP and
    /// STRUCT nest at most `maxNestingDepth` levels.
    package static func parse(_ text: String) throws(KsqlTypeParseError) -> KsqlType {
        var parser = KsqlTypeParser(text: text)
        let type = try parser.parseType()
        parser.skipSpaces()
        if !parser.atEnd { throw parser.error("unexpected trailing characters") }
        return type
    }
}

/// Recursive-descent parser over the UTF-8 bytes of a type string.
private struct KsqlTypeParser {
    let text: String
    let bytes: [UInt8]
    var pos = 0
    /// ARRAY, MAP and STRUCT types open around `pos`.
    var depth = 0

    init(text: String) {
        self.text = text
        self.bytes = Array(text.utf8)
    }

    var atEnd: Bool { pos >= bytes.count }

    func error(_ reason: String) -> KsqlTypeParseError {
        KsqlTypeParseError(text: text, offset: pos, reason: reason)
    }

    mutating func skipSpaces() {
        while pos < bytes.count, bytes[pos] == 0x20 || bytes[pos] == 0x09 || bytes[pos] == 0x0A { pos += 1 }
    }

    mutating func expect(_ byte: UInt8) throws(KsqlTypeParseError) {
        skipSpaces()
        guard pos < bytes.count, bytes[pos] == byte else {
            throw error("expected '\(Character(Unicode.Scalar(byte)))'")
        }
        pos += 1
    }

    mutating func peek(_ byte: UInt8) -> Bool {
        skipSpaces()
        return pos < bytes.count && bytes[pos] == byte
    }

    mutating func word() -> String {
        skipSpaces()
        let start = pos
        while pos < bytes.count {
            let b = bytes[pos]
            let isWordByte = (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x5F
            if !isWordByte { break }
            pos += 1
        }
        return String(decoding: bytes[start..<pos], as: UTF8.self)
    }

    mutating func integer() throws(KsqlTypeParseError) -> Int {
        let w = word()
        guard let n = Int(w), n >= 0 else { throw error("expected a non-negative integer") }
        return n
    }

    mutating func fieldName() throws(KsqlTypeParseError) -> String {
        skipSpaces()
        guard pos < bytes.count else { throw error("expected a field name") }
        if bytes[pos] == 0x60 { // backquoted; a doubled backquote stands for one
            pos += 1
            var name: [UInt8] = []
            while true {
                guard pos < bytes.count else { throw error("unterminated `quoted` field name") }
                if bytes[pos] == 0x60 {
                    if pos + 1 < bytes.count, bytes[pos + 1] == 0x60 {
                        name.append(0x60)
                        pos += 2
                        continue
                    }
                    pos += 1
                    break
                }
                name.append(bytes[pos])
                pos += 1
            }
            return String(decoding: name, as: UTF8.self)
        }
        let w = word()
        guard !w.isEmpty else { throw error("expected a field name") }
        return w.uppercased()
    }

    mutating func parseType() throws(KsqlTypeParseError) -> KsqlType {
        let start = pos
        let name = word().uppercased()
        let nests = name == "ARRAY" || name == "MAP" || name == "STRUCT"
        if nests {
            guard depth < KsqlType.maxNestingDepth else {
                pos = start
                skipSpaces()
                throw error("types nest deeper than \(KsqlType.maxNestingDepth) levels of ARRAY, MAP and STRUCT")
            }
            depth += 1
        }
        defer { if nests { depth -= 1 } }
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
            let p = try integer()
            try expect(0x2C)
            let s = try integer()
            try expect(0x29)
            guard (1...38).contains(p) else { throw error("DECIMAL precision must be 1...38") }
            guard s <= p else { throw error("DECIMAL scale must not exceed precision") }
            return .decimal(precision: p, scale: s)
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
            var fields: [KsqlField] = []
            if peek(0x3E) {
                pos += 1
                return .struct(fields)
            }
            while true {
                let fname = try fieldName()
                let ftype = try parseType()
                fields.append(KsqlField(name: fname, type: ftype))
                if peek(0x2C) { pos += 1; continue }
                try expect(0x3E)
                return .struct(fields)
            }
        case "":
            throw error("expected a type name")
        default:
            pos = start
            skipSpaces()
            throw error("unknown type \(name)")
        }
    }
}
