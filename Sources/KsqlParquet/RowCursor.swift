#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A position in one JSON line, with the byte-level primitives the row scanners share. Errors carry
/// the byte offset; the caller adds line and column name.
package struct RowCursor {
    let base: UnsafePointer<UInt8>
    let end: Int
    package var pos: Int

    package init(_ line: UnsafeRawBufferPointer) {
        // An empty buffer has no base address; point at a static byte so reads stay in bounds.
        base = line.count > 0 ? line.baseAddress!.assumingMemoryBound(to: UInt8.self) : RowCursor.emptyBase
        end = line.count
        pos = 0
    }

    nonisolated(unsafe) private static let emptyBase: UnsafePointer<UInt8> = {
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
        p.pointee = 0
        return UnsafePointer(p)
    }()

    /// A malformed or out-of-range value at a byte offset of the line (0-based).
    package struct Failure: Error {
        package var offset: Int
        package var message: String
    }

    @inline(__always) package var atEnd: Bool { pos >= end }
    @inline(__always) package var peek: UInt8 { pos < end ? base[pos] : 0 }

    package func fail(_ message: String, at offset: Int? = nil) -> Failure { Failure(offset: offset ?? pos, message: message) }

    /// Moves past the bytes of a string that need no attention (not `"`, `\\` nor a control
    /// character) eight at a time, and past its closing quote when that is what it stops at (then
    /// returns true): most values are short, and a byte loop was a tenth of a flat export's parsing.
    /// A byte is flagged by the usual zero-byte test on the word XORed with the byte sought (and, for
    /// `< 0x20`, on the word minus 0x20 per byte). Only bits above a test's first true byte can be
    /// false, so the lowest flagged byte is a true one of its kind: a quote when the quote test
    /// flags it, without loading the byte again.
    @inline(__always)
    mutating func skipPlainStringBytes() -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        while pos + 8 <= end {
            let w = UnsafeRawPointer(base + pos).loadUnaligned(as: UInt64.self).littleEndian
            let quote = w ^ (0x22 &* ones), backslash = w ^ (0x5C &* ones)
            let quotes = (quote &- ones) & ~quote & highs
            let flagged = quotes | ((backslash &- ones) & ~backslash | (w &- 0x20 &* ones) & ~w) & highs
            if flagged != 0 {
                let first = flagged & (0 &- flagged)
                pos += first.trailingZeroBitCount >> 3
                if quotes & first != 0 {
                    pos += 1
                    return true
                }
                return false
            }
            pos += 8
        }
        return false
    }

    @inline(__always)
    package mutating func skipSpaces() {
        while pos < end {
            let b = base[pos]
            if b != 0x20 && b != 0x09 && b != 0x0D && b != 0x0A { return }
            pos += 1
        }
    }

    @inline(__always)
    package mutating func expect(_ byte: UInt8, _ what: @autoclosure () -> String) throws(Failure) {
        skipSpaces()
        guard pos < end, base[pos] == byte else { throw fail("expected \(what())") }
        pos += 1
    }

    /// Consumes `null` if it is next.
    @inline(__always)
    package mutating func takeNull() -> Bool {
        skipSpaces()
        if pos + 4 <= end && base[pos] == 0x6E && base[pos + 1] == 0x75 && base[pos + 2] == 0x6C && base[pos + 3] == 0x6C {
            pos += 4
            return true
        }
        return false
    }

    mutating func takeWord(_ word: StaticString) -> Bool {
        let n = word.utf8CodeUnitCount
        guard pos + n <= end else { return false }
        let w = word.utf8Start
        for i in 0..<n where base[pos + i] != w[i] { return false }
        pos += n
        return true
    }

    package mutating func parseBool() throws(Failure) -> Bool {
        skipSpaces()
        if takeWord("true") { return true }
        if takeWord("false") { return false }
        throw fail("expected true or false")
    }

    // MARK: strings

    /// Parses a JSON string. Without escapes, returns the raw byte range and leaves `scratch` alone;
    /// with escapes, decodes into `scratch` and returns nil.
    @inline(__always)
    mutating func parseString(scratch: inout [UInt8]) throws(Failure) -> Range<Int>? {
        skipSpaces()
        guard pos < end, base[pos] == 0x22 else { throw fail("expected a string") }
        pos += 1
        let start = pos
        if skipPlainStringBytes() { return start..<(pos - 1) }
        while pos < end {
            let b = base[pos]
            if b == 0x22 {
                pos += 1
                return start..<(pos - 1)
            }
            if b == 0x5C { break }
            if b < 0x20 { throw fail("control character in string") }
            pos += 1
        }
        return try decodeEscapedString(from: start, scratch: &scratch)
    }

    /// The rest of `parseString` from the string's first backslash (or the line's end): kept out of line, so that
    /// the common string without escapes inlines small into the row loops.
    @inline(never)
    private mutating func decodeEscapedString(from start: Int, scratch: inout [UInt8]) throws(Failure) -> Range<Int>? {
        guard pos < end else { throw fail("unterminated string", at: start - 1) }
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(start: base + start, count: pos - start))
        while pos < end {
            let b = base[pos]
            if b == 0x22 {
                pos += 1
                return nil
            }
            if b == 0x5C {
                pos += 1
                guard pos < end else { break }
                let e = base[pos]
                pos += 1
                switch e {
                case 0x22, 0x5C, 0x2F: scratch.append(e)
                case 0x62: scratch.append(0x08)
                case 0x66: scratch.append(0x0C)
                case 0x6E: scratch.append(0x0A)
                case 0x72: scratch.append(0x0D)
                case 0x74: scratch.append(0x09)
                case 0x75:
                    var scalar = try hex4()
                    if scalar >= 0xD800 && scalar < 0xDC00 {
                        guard pos + 2 <= end, base[pos] == 0x5C, base[pos + 1] == 0x75 else { throw fail("unpaired surrogate in \\u escape") }
                        pos += 2
                        let low = try hex4()
                        guard low >= 0xDC00 && low < 0xE000 else { throw fail("unpaired surrogate in \\u escape") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if scalar >= 0xDC00 && scalar < 0xE000 {
                        throw fail("unpaired surrogate in \\u escape")
                    }
                    appendUTF8(scalar, to: &scratch)
                default:
                    throw fail("invalid escape in string", at: pos - 2)
                }
                continue
            }
            if b < 0x20 { throw fail("control character in string") }
            scratch.append(b)
            pos += 1
        }
        throw fail("unterminated string", at: start - 1)
    }

    private mutating func hex4() throws(Failure) -> UInt32 {
        guard pos + 4 <= end else { throw fail("truncated \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = base[pos]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            default: throw fail("invalid \\u escape")
            }
            v = v << 4 | d
            pos += 1
        }
        return v
    }

    private func appendUTF8(_ s: UInt32, to out: inout [UInt8]) {
        switch s {
        case 0..<0x80: out.append(UInt8(s))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | s >> 6))
            out.append(UInt8(0x80 | s & 0x3F))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | s >> 12))
            out.append(UInt8(0x80 | s >> 6 & 0x3F))
            out.append(UInt8(0x80 | s & 0x3F))
        default:
            out.append(UInt8(0xF0 | s >> 18))
            out.append(UInt8(0x80 | s >> 12 & 0x3F))
            out.append(UInt8(0x80 | s >> 6 & 0x3F))
            out.append(UInt8(0x80 | s & 0x3F))
        }
    }

    /// Runs `body` over the string's decoded bytes (no copy when it has no escapes).
    @inline(__always)
    package mutating func withString<R>(scratch: inout [UInt8], _ body: (UnsafeRawBufferPointer) throws(Failure) -> R) throws(Failure) -> R {
        if let r = try parseString(scratch: &scratch) {
            return try body(UnsafeRawBufferPointer(start: base + r.lowerBound, count: r.count))
        }
        return try withBytes(scratch, body)
    }

    /// `Array.withUnsafeBytes` with a typed-throwing body.
    @inline(__always)
    package func withBytes<R>(_ a: [UInt8], _ body: (UnsafeRawBufferPointer) throws(Failure) -> R) throws(Failure) -> R {
        let r: Result<R, Failure> = a.withUnsafeBytes { p in Result { () throws(Failure) -> R in try body(p) } }
        return try r.get()
    }

    // MARK: containers

    /// Parses a row `[v0, v1, …]` of exactly `count` values, each by `value(&cursor, index)`;
    /// `column` tracks the value being parsed (-1 outside values) for error messages.
    @inline(__always)
    package mutating func parseRow(count: Int, column: inout Int,
                           _ value: (inout RowCursor, Int) throws(Failure) -> Void) throws(Failure) {
        try expect(0x5B, "'[' starting a row")
        for i in 0..<count {
            column = i
            try startValue(i, of: count)
            try value(&self, i)
        }
        column = -1
        try endRow(count: count)
    }

    /// Before the value at `i` of a row of `count`: the comma that separates it from the one before.
    @inline(__always)
    package mutating func startValue(_ i: Int, of count: Int) throws(Failure) {
        if i > 0 { try expect(0x2C, "',' (the header declares \(count) columns)") }
    }

    /// After a row's last value: its `]` and nothing else.
    @inline(__always)
    package mutating func endRow(count: Int) throws(Failure) {
        skipSpaces()
        if peek == 0x2C { throw fail("more values than the \(count) columns of the header") }
        try expect(0x5D, "']' ending the row")
        skipSpaces()
        if !atEnd { throw fail("unexpected bytes after the row") }
    }

    /// Parses the elements of an ARRAY (`[`…`]`) or the entries of an object (`{`…`}`), calling
    /// `element(&cursor, index)` for each; returns how many there were.
    @inline(__always)
    package mutating func parseElements(object: Bool, _ what: StaticString,
                                _ element: (inout RowCursor, Int) throws(Failure) -> Void) throws(Failure) -> Int {
        let open: UInt8 = object ? 0x7B : 0x5B, close: UInt8 = object ? 0x7D : 0x5D
        try expect(open, "'\(object ? "{" : "[")' starting \(what)")
        skipSpaces()
        if peek == close {
            pos += 1
            return 0
        }
        var n = 0
        while true {
            try element(&self, n)
            n += 1
            skipSpaces()
            if peek == 0x2C { pos += 1; continue }
            try expect(close, "',' or '\(object ? "}" : "]")' in \(what)")
            return n
        }
    }

    // MARK: generic skipping

    /// Skips any JSON value (used for unknown header fields).
    package mutating func skipValue(depth: Int = 0) throws(Failure) {
        skipSpaces()
        guard depth < 512 else { throw fail("nesting too deep") }
        var scratch: [UInt8] = []
        switch peek {
        case 0x22: _ = try parseString(scratch: &scratch)
        case 0x5B, 0x7B:
            let close: UInt8 = peek == 0x5B ? 0x5D : 0x7D
            let isObject = peek == 0x7B
            pos += 1
            skipSpaces()
            if peek == close {
                pos += 1
                return
            }
            while true {
                if isObject {
                    _ = try parseString(scratch: &scratch)
                    try expect(0x3A, "':'")
                }
                try skipValue(depth: depth + 1)
                skipSpaces()
                if peek == 0x2C { pos += 1; continue }
                try expect(close, isObject ? "',' or '}'" : "',' or ']'")
                return
            }
        default:
            let start = pos
            while pos < end {
                let b = base[pos]
                if b == 0x2C || b == 0x5D || b == 0x7D || b == 0x20 || b == 0x0D || b == 0x0A || b == 0x09 { break }
                pos += 1
            }
            if pos == start { throw fail("expected a value") }
        }
    }
}
