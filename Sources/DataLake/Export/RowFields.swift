import Parquet

/// Byte-level access to a few fields of a ksqlDB row line (`[v1,v2,…]`) without decoding the row:
/// the exporter needs each row's ROWTIME, its event time and a fingerprint, at millions of rows/s.
package enum RowFields {
    /// The first element as an integer (`SELECT ROWTIME, *` puts ROWTIME there).
    package static func leadingInt64(_ line: UnsafeRawBufferPointer) -> Int64? {
        var i = 0
        while i < line.count, line[i] == 0x20 || line[i] == 0x5B { i += 1 }
        return integer(line, from: i).map(\.value)
    }

    static func integer(_ b: UnsafeRawBufferPointer, from start: Int) -> (value: Int64, end: Int)? {
        var i = start
        let n = b.count
        var negative = false
        if i < n, b[i] == 0x2D { negative = true; i += 1 }
        var value: Int64 = 0
        let digitsStart = i
        // 18 digits cannot overflow an Int64: a ROWTIME (13 digits) needs no overflow checks.
        let unchecked = Swift.min(n, i + 18)
        while i < unchecked {
            let d = b[i] &- 0x30
            if d > 9 { break }
            value = value &* 10 &+ Int64(d)
            i += 1
        }
        while i < n {
            let d = b[i] &- 0x30
            if d > 9 { break }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int64(d))
            if o1 || o2 { return nil }
            value = a
            i += 1
        }
        return i > digitsStart ? (negative ? -value : value, i) : nil
    }

    /// The bytes of top-level element `index` (0-based), or nil when the row is shorter.
    package static func element(_ line: UnsafeRawBufferPointer, _ index: Int) -> UnsafeRawBufferPointer? {
        var found: UnsafeRawBufferPointer?
        var current = 0
        forEachElement(line) { range in
            guard current == index else { current += 1; return true }
            found = UnsafeRawBufferPointer(rebasing: line[range])
            return false
        }
        return found
    }

    /// The byte ranges of every top-level element, in order.
    package static func elements(_ line: UnsafeRawBufferPointer) -> [Range<Int>] {
        var out: [Range<Int>] = []
        forEachElement(line) { out.append($0); return true }
        return out
    }

    /// Calls `body` with each top-level element's byte range, in order, while it returns true: one
    /// scan that skips strings (with their escapes) and nested arrays and objects.
    @inline(__always)
    static func forEachElement(_ line: UnsafeRawBufferPointer, _ body: (Range<Int>) -> Bool) {
        var i = 0
        while i < line.count, line[i] != 0x5B { i += 1 }
        i += 1
        while i < line.count {
            while i < line.count, line[i] == 0x20 { i += 1 }
            let start = i
            var depth = 0
            var inString = false
            while i < line.count {
                let c = line[i]
                if inString {
                    if c == 0x5C { i += 2; continue }
                    if c == 0x22 { inString = false }
                } else if c == 0x22 {
                    inString = true
                } else if c == 0x5B || c == 0x7B {
                    depth += 1
                } else if c == 0x5D || c == 0x7D {
                    if depth == 0 { break }
                    depth -= 1
                } else if c == 0x2C && depth == 0 {
                    break
                }
                i += 1
            }
            if !body(start..<min(i, line.count)) { return }
            if i >= line.count || line[i] == 0x5D { return }
            i += 1
        }
    }

    /// The row as it was before an additive schema change: `[` + the elements at `indexes` + `]`,
    /// byte for byte what ksqlDB sent for it under the old columns.
    package static func projected(_ line: UnsafeRawBufferPointer, _ indexes: [Int], into out: inout [UInt8]) {
        let ranges = elements(line)
        out.removeAll(keepingCapacity: true)
        out.append(0x5B)
        for (n, i) in indexes.enumerated() where i < ranges.count {
            if n > 0 { out.append(0x2C) }
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: line[ranges[i]]))
        }
        out.append(0x5D)
    }

    /// An event time in epoch ms from a BIGINT number or a ksqlDB TIMESTAMP string
    /// (`"yyyy-MM-ddTHH:mm:ss.SSS"`, UTC); nil for null or anything else.
    package static func epochMillis(_ value: UnsafeRawBufferPointer) -> Int64? {
        guard let first = value.first else { return nil }
        if first == 0x2D || (first >= 0x30 && first <= 0x39) { return integer(value, from: 0)?.value }
        guard first == 0x22, value.count >= 21 else { return nil }
        func num(_ from: Int, _ len: Int) -> Int? {
            var n = 0
            for k in from..<(from + len) {
                let c = value[k]
                guard c >= 0x30 && c <= 0x39 else { return nil }
                n = n * 10 + Int(c - 0x30)
            }
            return n
        }
        guard let y = num(1, 4), let mo = num(6, 2), let d = num(9, 2), let h = num(12, 2), let mi = num(15, 2), let s = num(18, 2) else { return nil }
        var ms = 0
        if value.count >= 25, value[20] == 0x2E, let f = num(21, 3) { ms = f }
        let day = CivilDate.epochDay(year: y, month: mo, day: d)
        return Int64(day) * 86_400_000 + Int64(h * 3_600_000 + mi * 60_000 + s * 1000 + ms)
    }

    /// FNV-1a 64 of the row's bytes: with the ROWTIME it identifies an exported row for de-duplication.
    package static func fingerprint(_ line: UnsafeRawBufferPointer, seed: UInt64 = 0xcbf2_9ce4_8422_2325) -> UInt64 {
        var h = seed
        for byte in line {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01B3
        }
        return h
    }
}
