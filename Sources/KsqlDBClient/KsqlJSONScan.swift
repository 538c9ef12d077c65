import Foundation

/// Byte-level helpers for finding things in JSON text without parsing it.
enum KsqlJSONScan {
    static let newline: UInt8 = 0x0A
    static let comma: UInt8 = 0x2C
    static let openBracket: UInt8 = 0x5B
    static let closeBracket: UInt8 = 0x5D
    static let openBrace: UInt8 = 0x7B
    static let closeBrace: UInt8 = 0x7D
    static let quote: UInt8 = 0x22
    static let backslash: UInt8 = 0x5C
    static let colon: UInt8 = 0x3A

    @inline(__always)
    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A }

    /// The index of the first `byte` in `buf[from..<to]`, or nil.
    @inline(__always)
    static func index(of byte: UInt8, in buf: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int? {
        guard from < to, let base = buf.baseAddress else { return nil }
        guard let hit = memchr(base + from, Int32(byte), to - from) else { return nil }
        return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
    }

    /// The index where `needle` first starts in `buf[from..<to]`, or nil.
    static func index(of needle: [UInt8], in buf: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int? {
        guard let first = needle.first else { return from }
        var i = from
        while i + needle.count <= to, let hit = index(of: first, in: buf, from: i, to: to - needle.count + 1) {
            var matches = true
            for k in 1..<needle.count where buf[hit + k] != needle[k] {
                matches = false
                break
            }
            if matches { return hit }
            i = hit + 1
        }
        return nil
    }

    /// True when `buf[from..<to]` starts with `prefix`.
    static func hasPrefix(_ prefix: [UInt8], in buf: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Bool {
        guard to - from >= prefix.count else { return false }
        for k in 0..<prefix.count where buf[from + k] != prefix[k] { return false }
        return true
    }

    /// The index just past the JSON array or object that opens at `start` (a `[` or `{`), skipping
    /// strings and checking that brackets pair up; nil when it does not close properly before `to`.
    static func endOfContainer(in buf: UnsafeBufferPointer<UInt8>, from start: Int, to: Int) -> Int? {
        // One bit per open container, 1 for an array: nesting deeper than 64 is not a ksqlDB row.
        var stack: UInt64 = 0
        var depth = 0
        var i = start
        while i < to {
            let b = buf[i]
            if b == quote {
                i += 1
                while i < to, buf[i] != quote {
                    i += buf[i] == backslash ? 2 : 1
                }
                if i >= to { return nil }
            } else if b == openBracket || b == openBrace {
                guard depth < 64 else { return nil }
                stack = (stack << 1) | (b == openBracket ? 1 : 0)
                depth += 1
            } else if b == closeBracket || b == closeBrace {
                guard depth > 0, (stack & 1 == 1) == (b == closeBracket) else { return nil }
                stack >>= 1
                depth -= 1
                if depth == 0 { return i + 1 }
            }
            i += 1
        }
        return nil
    }
}
