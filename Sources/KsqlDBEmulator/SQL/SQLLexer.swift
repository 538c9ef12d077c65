/// Splits statement text into tokens (identifiers, 'strings', numbers, operators).
struct SQLLexer {
    static func tokens(_ text: String) throws(EmulatorError) -> [SQLToken] {
        let bytes = Array(text.utf8)
        var tokens: [SQLToken] = []
        var i = 0
        func fail(_ message: String, at offset: Int) -> EmulatorError {
            let (line, column) = position(of: offset, in: bytes)
            return .statement("line \(line):\(column): Syntax error: \(message)", statementText: text)
        }
        while i < bytes.count {
            let byte = bytes[i]
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { i += 1; continue }
            if byte == UInt8(ascii: "-"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "-") {
                while i < bytes.count, bytes[i] != 0x0A { i += 1 }
                continue
            }
            let start = i
            if isLetter(byte) || byte == UInt8(ascii: "_") {
                while i < bytes.count, isLetter(bytes[i]) || isDigit(bytes[i]) || bytes[i] == UInt8(ascii: "_") || bytes[i] == UInt8(ascii: "$") { i += 1 }
                let name = String(decoding: bytes[start..<i], as: UTF8.self).uppercased()
                tokens.append(SQLToken(kind: .identifier(name, quoted: false), start: start, end: i))
            } else if byte == UInt8(ascii: "`") || byte == UInt8(ascii: "\"") {
                i += 1
                var name: [UInt8] = []
                while true {
                    guard i < bytes.count else { throw fail("unterminated quoted identifier", at: start) }
                    if bytes[i] == byte {
                        if i + 1 < bytes.count, bytes[i + 1] == byte { name.append(byte); i += 2; continue }
                        i += 1
                        break
                    }
                    name.append(bytes[i])
                    i += 1
                }
                tokens.append(SQLToken(kind: .identifier(String(decoding: name, as: UTF8.self), quoted: true), start: start, end: i))
            } else if byte == UInt8(ascii: "'") {
                i += 1
                var literal: [UInt8] = []
                while true {
                    guard i < bytes.count else { throw fail("unterminated string literal", at: start) }
                    if bytes[i] == UInt8(ascii: "'") {
                        if i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "'") { literal.append(bytes[i]); i += 2; continue }
                        i += 1
                        break
                    }
                    literal.append(bytes[i])
                    i += 1
                }
                tokens.append(SQLToken(kind: .string(String(decoding: literal, as: UTF8.self)), start: start, end: i))
            } else if isDigit(byte) || (byte == UInt8(ascii: ".") && i + 1 < bytes.count && isDigit(bytes[i + 1])) {
                while i < bytes.count, isDigit(bytes[i]) || bytes[i] == UInt8(ascii: ".") { i += 1 }
                if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
                    i += 1
                    if i < bytes.count, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") { i += 1 }
                    while i < bytes.count, isDigit(bytes[i]) { i += 1 }
                }
                tokens.append(SQLToken(kind: .number(String(decoding: bytes[start..<i], as: UTF8.self)), start: start, end: i))
            } else {
                let two = i + 1 < bytes.count ? String(decoding: bytes[i...(i + 1)], as: UTF8.self) : ""
                if ["<>", "!=", "<=", ">=", "->", ":="].contains(two) {
                    tokens.append(SQLToken(kind: .symbol(two), start: i, end: i + 2))
                    i += 2
                } else if "(),;*=<>.-+[]".utf8.contains(byte) {
                    tokens.append(SQLToken(kind: .symbol(String(decoding: [byte], as: UTF8.self)), start: i, end: i + 1))
                    i += 1
                } else {
                    throw fail("unexpected character '\(String(decoding: [byte], as: UTF8.self))'", at: i)
                }
            }
        }
        tokens.append(SQLToken(kind: .end, start: bytes.count, end: bytes.count))
        return tokens
    }

    static func position(of offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        for byte in bytes[0..<min(offset, bytes.count)] {
            if byte == 0x0A { line += 1; column = 1 } else { column += 1 }
        }
        return (line, column)
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte >= 0x80
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= 0x30 && byte <= 0x39
    }
}
