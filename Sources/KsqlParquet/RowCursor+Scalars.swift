#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Parquet

/// The ksqlDB value forms (notes ksqldb-rest.md §7), parsed exactly from the bytes.
extension RowCursor {
    @inline(__always)
    private static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }

    /// Skips spaces and an optional minus sign and requires a digit next; returns where the number
    /// starts and its sign.
    @inline(__always)
    private mutating func numberStart(_ what: @autoclosure () -> String) throws(Failure) -> (start: Int, negative: Bool) {
        skipSpaces()
        let start = pos
        let negative = peek == 0x2D
        if negative { pos += 1 }
        guard pos < end, Self.isDigit(base[pos]) else { throw fail("expected \(what())", at: start) }
        return (start, negative)
    }

    /// An optional exponent `e[+|-]digits` (clamped far beyond any representable value).
    @inline(__always)
    private mutating func exponent(start: Int) throws(Failure) -> Int {
        guard pos < end, base[pos] == 0x65 || base[pos] == 0x45 else { return 0 }
        pos += 1
        var negative = false
        if pos < end, base[pos] == 0x2B || base[pos] == 0x2D {
            negative = base[pos] == 0x2D
            pos += 1
        }
        guard pos < end, Self.isDigit(base[pos]) else { throw fail("expected exponent digits", at: start) }
        var e = 0
        while pos < end, Self.isDigit(base[pos]) {
            if e < 100_000 { e = e * 10 + Int(base[pos] &- 0x30) }
            pos += 1
        }
        return negative ? -e : e
    }

    /// A JSON integer within `min...max`; fractions and exponents are errors.
    @inline(__always)
    package mutating func parseInteger(min: Int64, max: Int64, typeName: String) throws(Failure) -> Int64 {
        let (start, negative) = try numberStart("\(typeName) number")
        var v: UInt64 = 0
        // 19 digits cannot overflow a UInt64: a ROWTIME (13) needs no overflow checks.
        let unchecked = Swift.min(end, pos + 19)
        while pos < unchecked, Self.isDigit(base[pos]) {
            v = v &* 10 &+ UInt64(base[pos] &- 0x30)
            pos += 1
        }
        while pos < end, Self.isDigit(base[pos]) {
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(UInt64(base[pos] &- 0x30))
            if o1 || o2 { throw fail("number out of range for \(typeName)", at: start) }
            v = a
            pos += 1
        }
        if pos < end, base[pos] == 0x2E || base[pos] == 0x65 || base[pos] == 0x45 {
            throw fail("expected an integer for \(typeName)", at: start)
        }
        // The magnitude of Int64.min is 2^63: the wrapping negation gives exactly that bit pattern.
        let limit = negative ? UInt64(bitPattern: 0 &- min) : UInt64(max)
        if v > limit { throw fail("number out of range for \(typeName)", at: start) }
        return negative ? Int64(bitPattern: 0 &- v) : Int64(bitPattern: v)
    }

    private static let exactPowers: [Double] = (0...22).map { e in
        var p = 1.0
        for _ in 0..<e { p *= 10 }
        return p
    }

    /// A JSON number as a Double (Java `Double.toString` forms such as `1.0E7` included), or the
    /// NaN/Infinity tokens Jackson writes, bare or quoted.
    @inline(__always)
    package mutating func parseDouble() throws(Failure) -> Double {
        skipSpaces()
        if peek == 0x22 || peek == 0x4E || peek == 0x49 || (peek == 0x2D && pos + 1 < end && base[pos + 1] == 0x49) {
            return try parseSpecialDouble()
        }
        let (start, negative) = try numberStart("a DOUBLE number")
        var mantissa: UInt64 = 0
        var digits = 0
        var exp10 = 0
        while pos < end, Self.isDigit(base[pos]) {
            if digits < 19 {
                mantissa = mantissa &* 10 &+ UInt64(base[pos] &- 0x30)
                if mantissa != 0 { digits += 1 }
            } else {
                exp10 += 1
                digits += 1
            }
            pos += 1
        }
        if pos < end, base[pos] == 0x2E {
            pos += 1
            guard pos < end, Self.isDigit(base[pos]) else { throw fail("expected digits after '.'", at: start) }
            while pos < end, Self.isDigit(base[pos]) {
                if digits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(base[pos] &- 0x30)
                    if mantissa != 0 { digits += 1 }
                    exp10 -= 1
                } else {
                    digits += 1
                }
                pos += 1
            }
        }
        exp10 += try exponent(start: start)
        // Clinger's fast path is exact; anything else goes to strtod for correct rounding.
        if digits <= 19 && mantissa <= (1 << 53) && exp10 >= -22 && exp10 <= 22 {
            var d = Double(mantissa)
            if exp10 < 0 { d /= Self.exactPowers[-exp10] } else { d *= Self.exactPowers[exp10] }
            return negative ? -d : d
        }
        return strtodRange(start..<pos)
    }

    private func strtodRange(_ r: Range<Int>) -> Double {
        var buf = [CChar](repeating: 0, count: r.count + 1)
        for i in 0..<r.count { buf[i] = CChar(bitPattern: base[r.lowerBound + i]) }
        return strtod(buf, nil)
    }

    private mutating func parseSpecialDouble() throws(Failure) -> Double {
        let start = pos
        let quoted = peek == 0x22
        if quoted { pos += 1 }
        let v: Double
        if takeWord("NaN") { v = .nan }
        else if takeWord("Infinity") { v = .infinity }
        else if takeWord("-Infinity") { v = -.infinity }
        else { throw fail("expected a DOUBLE number", at: start) }
        if quoted {
            guard peek == 0x22 else { throw fail("expected a DOUBLE number", at: start) }
            pos += 1
        }
        return v
    }

    /// A JSON number as an exact unscaled DECIMAL(precision, scale) value; never goes through Double.
    package mutating func parseDecimal(precision: Int, scale: Int) throws(Failure) -> Int128 {
        let (start, negative) = try numberStart("a DECIMAL number")
        // The first 18 digits add up in an Int64 (they cannot overflow it); Int128 arithmetic, a
        // few times slower, only for the digits after them.
        var small: Int64 = 0
        var smallDigits = 0
        var v: Int128 = 0
        var frac = 0
        var overflow = false
        var seenDot = false
        while pos < end {
            let b = base[pos]
            if Self.isDigit(b) {
                if smallDigits < 18 {
                    small = small &* 10 &+ Int64(b &- 0x30)
                    smallDigits += 1
                } else {
                    if smallDigits == 18 {
                        v = Int128(small)
                        smallDigits += 1
                    }
                    let (m, o1) = v.multipliedReportingOverflow(by: 10)
                    let (a, o2) = m.addingReportingOverflow(Int128(b &- 0x30))
                    if o1 || o2 { overflow = true } else { v = a }
                }
                if seenDot { frac += 1 }
            } else if b == 0x2E && !seenDot {
                seenDot = true
                guard pos + 1 < end, Self.isDigit(base[pos + 1]) else { throw fail("expected digits after '.'", at: start) }
            } else {
                break
            }
            pos += 1
        }
        if smallDigits <= 18 { v = Int128(small) }
        let exp = try exponent(start: start)
        // Built only for a message: a String per value would cost more than the parse.
        var typeName: String { "DECIMAL(\(precision), \(scale))" }
        if overflow { throw fail("value does not fit \(typeName)", at: start) }
        var shift = scale - frac + exp
        while shift > 0 {
            let (m, o) = v.multipliedReportingOverflow(by: 10)
            if o { throw fail("value does not fit \(typeName)", at: start) }
            v = m
            shift -= 1
        }
        while shift < 0 {
            let (q, r) = v.quotientAndRemainder(dividingBy: 10)
            if r != 0 { throw fail("value has more than \(scale) decimal places for \(typeName)", at: start) }
            v = q
            shift += 1
        }
        if v >= Self.powersOfTen[precision] { throw fail("value does not fit \(typeName)", at: start) }
        return negative ? -v : v
    }

    /// 10^0 ... 10^38, the bounds of DECIMAL precisions.
    static let powersOfTen: [Int128] = (0...38).map { n in
        var p: Int128 = 1
        for _ in 0..<n { p *= 10 }
        return p
    }

    // MARK: dates and times

    private mutating func digitsValue(_ count: Int, _ what: String, at start: Int) throws(Failure) -> Int {
        guard pos + count <= end else { throw fail("invalid \(what)", at: start) }
        var v = 0
        for i in 0..<count {
            let b = base[pos + i]
            guard Self.isDigit(b) else { throw fail("invalid \(what)", at: start) }
            v = v * 10 + Int(b &- 0x30)
        }
        pos += count
        return v
    }

    private mutating func expectByte(_ b: UInt8, _ what: String, at start: Int) throws(Failure) {
        guard pos < end, base[pos] == b else { throw fail("invalid \(what)", at: start) }
        pos += 1
    }

    /// `yyyy-MM-dd` (pos after the opening quote) → days since the epoch.
    private mutating func datePart(_ what: String, at start: Int) throws(Failure) -> Int {
        var sign = 1
        if peek == 0x2D { sign = -1; pos += 1 } else if peek == 0x2B { pos += 1 }
        var year = try digitsValue(4, what, at: start)
        while pos < end, Self.isDigit(base[pos]) { year = year * 10 + Int(base[pos] &- 0x30); pos += 1 }
        year *= sign
        try expectByte(0x2D, what, at: start)
        let month = try digitsValue(2, what, at: start)
        try expectByte(0x2D, what, at: start)
        let day = try digitsValue(2, what, at: start)
        guard (1...12).contains(month), day >= 1, day <= Self.daysIn(month: month, year: year) else {
            throw fail("invalid \(what)", at: start)
        }
        return CivilDate.epochDay(year: year, month: month, day: day)
    }

    /// 31 in odd months up to July and in even ones from August; no array built per value.
    @inline(__always)
    static func daysIn(month: Int, year: Int) -> Int {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        return month == 2 ? (leap ? 29 : 28) : 30 + ((month + month >> 3) & 1)
    }

    /// `HH:mm[:ss[.fraction]]` → milliseconds of the day (fraction truncated to milliseconds).
    private mutating func timePart(_ what: String, at start: Int) throws(Failure) -> Int {
        let h = try digitsValue(2, what, at: start)
        try expectByte(0x3A, what, at: start)
        let m = try digitsValue(2, what, at: start)
        var s = 0, ms = 0
        if peek == 0x3A {
            pos += 1
            s = try digitsValue(2, what, at: start)
            if peek == 0x2E {
                pos += 1
                var n = 0
                guard pos < end, Self.isDigit(base[pos]) else { throw fail("invalid \(what)", at: start) }
                while pos < end, Self.isDigit(base[pos]) {
                    if n < 3 { ms = ms * 10 + Int(base[pos] &- 0x30) }
                    n += 1
                    pos += 1
                }
                for _ in n..<max(n, 3) { ms *= 10 }
            }
        }
        guard h < 24, m < 60, s < 60 else { throw fail("invalid \(what)", at: start) }
        return ((h * 60 + m) * 60 + s) * 1000 + ms
    }

    private mutating func closeQuote(_ what: String, at start: Int) throws(Failure) {
        guard peek == 0x22 else { throw fail("invalid \(what)", at: start) }
        pos += 1
    }

    /// DATE: `"yyyy-MM-dd"`, or a number of days (the form inside STRUCTs).
    package mutating func parseDate() throws(Failure) -> Int32 {
        skipSpaces()
        let start = pos
        if peek != 0x22 { return Int32(try parseInteger(min: Int64(Int32.min), max: Int64(Int32.max), typeName: "DATE")) }
        pos += 1
        let days = try datePart("DATE (expected \"yyyy-MM-dd\")", at: start)
        try closeQuote("DATE (expected \"yyyy-MM-dd\")", at: start)
        guard let d = Int32(exactly: days) else { throw fail("DATE out of range", at: start) }
        return d
    }

    /// TIME: `"HH:mm[:ss[.SSS]]"`, or milliseconds of the day (the form inside STRUCTs).
    package mutating func parseTime() throws(Failure) -> Int32 {
        skipSpaces()
        let start = pos
        if peek != 0x22 {
            let v = try parseInteger(min: 0, max: 86_399_999, typeName: "TIME")
            return Int32(v)
        }
        pos += 1
        let ms = try timePart("TIME (expected \"HH:mm:ss\")", at: start)
        try closeQuote("TIME (expected \"HH:mm:ss\")", at: start)
        return Int32(ms)
    }

    /// TIMESTAMP: `"yyyy-MM-ddTHH:mm:ss.SSS"` in UTC, or epoch milliseconds (the form inside STRUCTs).
    /// A TIMESTAMP in units of 1/`perMillisecond` ms (1: milliseconds, 1000: microseconds).
    @inline(__always)
    package mutating func parseTimestamp(perMillisecond scale: Int64) throws(Failure) -> Int64 {
        let start = pos
        let ms = try parseTimestamp()
        if scale == 1 { return ms }
        let (v, overflow) = ms.multipliedReportingOverflow(by: scale)
        if overflow { throw fail("TIMESTAMP out of range", at: start) }
        return v
    }

    /// `fast: false` only for tests that hold the word-load path (`fastTimestamp`) to this one.
    package mutating func parseTimestamp(fast: Bool = true) throws(Failure) -> Int64 {
        skipSpaces()
        let start = pos
        if peek != 0x22 { return try parseInteger(min: Int64.min, max: Int64.max, typeName: "TIMESTAMP") }
        if fast, let ms = fastTimestamp() { return ms }
        pos += 1
        let what = "TIMESTAMP (expected \"yyyy-MM-ddTHH:mm:ss.SSS\")"
        let days = try datePart(what, at: start)
        guard pos < end, base[pos] == 0x54 || base[pos] == 0x20 else { throw fail("invalid \(what)", at: start) }
        pos += 1
        let ms = try timePart(what, at: start)
        if peek == 0x5A { pos += 1 }
        try closeQuote(what, at: start)
        return Int64(days) * 86_400_000 + Int64(ms)
    }

    // MARK: base64

    private static let base64Table: [UInt8] = {
        var t = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() { t[Int(c)] = UInt8(i) }
        t[Int(UInt8(ascii: "-"))] = 62
        t[Int(UInt8(ascii: "_"))] = 63
        return t
    }()

    /// BYTES: a standard base64 string (padding optional), decoded into `out`.
    package mutating func parseBase64(into out: inout [UInt8], scratch: inout [UInt8]) throws(Failure) {
        skipSpaces()
        let start = pos
        out.removeAll(keepingCapacity: true)
        try withString(scratch: &scratch) { (p: UnsafeRawBufferPointer) throws(Failure) in
            var n = p.count
            while n > 0 && p[n - 1] == 0x3D { n -= 1 }
            var acc: UInt32 = 0
            var bits = 0
            for i in 0..<n {
                let v = Self.base64Table[Int(p[i])]
                if v == 0xFF { throw Failure(offset: start, message: "invalid base64 in BYTES value") }
                acc = acc << 6 | UInt32(v)
                bits += 6
                if bits >= 8 {
                    bits -= 8
                    out.append(UInt8(truncatingIfNeeded: acc >> UInt32(bits)))
                }
            }
            if bits >= 6 { throw Failure(offset: start, message: "invalid base64 in BYTES value") }
        }
    }
}
