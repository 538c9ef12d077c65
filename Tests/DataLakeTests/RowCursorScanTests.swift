import Foundation
import Testing
@testable import KsqlParquet
@testable import Parquet

/// The scanner's fast paths against slow references: strings read eight bytes at a time, DECIMAL
/// digits added in an Int64 before Int128, and month lengths computed rather than looked up.
@Suite struct RowCursorScanTests {
    /// The bytes of the string `json` starts with; `rest` follows it on the line, unread.
    static func string(_ json: String, followedBy rest: String = "") throws -> [UInt8] {
        var scratch: [UInt8] = []
        let (bytes, pos) = try Array((json + rest).utf8).withUnsafeBytes { (p: UnsafeRawBufferPointer) throws -> ([UInt8], Int) in
            var c = RowCursor(p)
            let bytes = try c.withString(scratch: &scratch) { (v: UnsafeRawBufferPointer) throws(RowCursor.Failure) -> [UInt8] in Array(v) }
            return (bytes, c.pos)
        }
        #expect(pos == json.utf8.count, "the cursor stops right after the closing quote")
        return bytes
    }

    /// The closing quote at every place in a word, followed by what could fool the word tests: `#`
    /// (the quote XOR 1, a false match just above a true one), a backslash, a control byte, more
    /// quotes, the row's next value.
    @Test func theClosingQuoteIsFoundWhereverItFallsInAWord() throws {
        for filler in ["a", "é"] {
            for length in 0...20 {
                let plain = String(repeating: filler, count: length)
                for rest in ["", "#", "##########", "\\\\", "\u{01}\u{01}", "\"\"\"", "]", ",\"next\",1]", "\u{1F}\"#\\"] {
                    #expect(try Self.string("\"\(plain)\"", followedBy: rest) == Array(plain.utf8), "\(plain) then \(rest)")
                }
            }
        }
    }

    /// Every special byte at every position of strings up to 20 bytes long (so before, inside and
    /// after the first 8-byte words), around ASCII and multi-byte UTF-8.
    @Test func stringsMatchFoundationAtEveryOffset() throws {
        let fillers = ["a", "é", "日"]
        let specials = ["\\\"", "\\\\", "\\n", "\\u0041", "\\/"]
        for filler in fillers {
            for length in 0...20 {
                let plain = String(repeating: filler, count: length)
                let json = "\"\(plain)\""
                #expect(try Self.string(json) == Array(plain.utf8), "\(json)")
                for at in 0...length {
                    for special in specials {
                        let head = String(repeating: filler, count: at), tail = String(repeating: filler, count: length - at)
                        let json = "\"\(head)\(special)\(tail)\""
                        let expected = try JSONSerialization.jsonObject(with: Data(json.utf8), options: .fragmentsAllowed) as! String
                        #expect(try Self.string(json) == Array(expected.utf8), "\(json)")
                    }
                }
            }
        }
    }

    @Test func controlCharactersAndUnterminatedStringsAreRefusedWhereverTheyAre() throws {
        for length in 0...20 {
            for at in 0...length {
                let head = String(repeating: "x", count: at), tail = String(repeating: "y", count: length - at)
                for control in ["\u{01}", "\t", "\n", "\u{1F}"] {
                    #expect(throws: RowCursor.Failure.self) { try Self.string("\"\(head)\(control)\(tail)\"") }
                }
                // 0x7F and bytes from 0x80 up are not control characters.
                #expect(try Self.string("\"\(head)\u{7F}\u{80}\(tail)\"") == Array("\(head)\u{7F}\u{80}\(tail)".utf8))
            }
            #expect(throws: RowCursor.Failure.self) { try Self.string("\"" + String(repeating: "z", count: length)) }
        }
    }

    static func decimal(_ text: String, _ precision: Int, _ scale: Int) throws -> Int128 {
        try Array(text.utf8).withUnsafeBytes { (p: UnsafeRawBufferPointer) throws -> Int128 in
            var c = RowCursor(p)
            return try c.parseDecimal(precision: precision, scale: scale)
        }
    }

    /// Numbers of 1 to 38 digits, with the dot anywhere, against the value the digits spell.
    @Test func decimalsOfEveryLength() throws {
        let digits = "12345678901234567890123456789012345678"
        for n in 1...38 {
            let d = String(digits.prefix(n))
            let whole = Int128(d)!
            #expect(try Self.decimal(d, 38, 0) == whole)
            #expect(try Self.decimal("-" + d, 38, 0) == -whole)
            for dot in 1..<n {
                let text = String(d.prefix(dot)) + "." + String(d.dropFirst(dot))
                #expect(try Self.decimal(text, 38, n - dot) == whole, "\(text)")
                // One more place than the value has: scaled up by ten.
                if n < 38 { #expect(try Self.decimal(text, 38, n - dot + 1) == whole * 10, "\(text)") }
            }
            if n > 1 {
                #expect(throws: RowCursor.Failure.self) { try Self.decimal(d, n - 1, 0) }
            }
        }
        #expect(throws: RowCursor.Failure.self) { try Self.decimal("123456789012345678901234567890123456789", 38, 0) }
        #expect(try Self.decimal("1234567890123456789e1", 38, 0) == 12_345_678_901_234_567_890)
        #expect(try Self.decimal("1234567890123456789e-1", 38, 1) == 1_234_567_890_123_456_789)
        #expect(throws: RowCursor.Failure.self) { try Self.decimal("1.5", 10, 0) }
    }

    static func date(_ text: String) throws -> Int32 {
        try Array("\"\(text)\"".utf8).withUnsafeBytes { (p: UnsafeRawBufferPointer) throws -> Int32 in
            var c = RowCursor(p)
            return try c.parseDate()
        }
    }

    /// Every day 28 to 32 of every month of common, leap and century years, against Foundation's calendar.
    @Test func monthLengthsMatchTheCalendar() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        for year in [1900, 1999, 2000, 2023, 2024, 2100] {
            for month in 1...12 {
                let length = calendar.range(of: .day, in: .month, for: calendar.date(from: DateComponents(year: year, month: month, day: 1))!)!.count
                for day in 28...32 {
                    let text = "\(year)-\(month < 10 ? "0" : "")\(month)-\(day)"
                    if day <= length {
                        let expected = Int32(calendar.date(from: DateComponents(year: year, month: month, day: day))!.timeIntervalSince1970 / 86_400)
                        #expect(try Self.date(text) == expected, "\(text)")
                    } else {
                        #expect(throws: RowCursor.Failure.self, "\(text)") { try Self.date(text) }
                    }
                }
            }
        }
    }
}
