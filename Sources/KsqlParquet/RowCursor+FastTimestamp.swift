import Parquet

/// TIMESTAMP values as ksqlDB renders them, `"yyyy-MM-ddTHH:mm:ss.SSS"`, read with three word loads
/// instead of byte by byte: a flat export parses one a row, and the general path (signs, longer
/// years, other fractions, `Z`, a space for `T`) was a twentieth of its parsing thread.
extension RowCursor {
    // Byte i of a little-endian word is bits 8i…8i+7. The three words after the opening quote:
    // `yyyy-MM-`, `ddTHH:mm`, `:ss.SSS"`.
    private static let separatorMasks: (UInt64, UInt64, UInt64) = (0xFF00_00FF_0000_0000, 0x0000_FF00_00FF_0000, 0xFF00_0000_FF00_00FF)
    private static let separators: (UInt64, UInt64, UInt64) = (0x2D00_002D_0000_0000, 0x0000_3A00_0054_0000, 0x2200_0000_2E00_003A)

    /// True when every byte of `w` outside `separatorMask` is an ASCII digit.
    @inline(__always)
    private static func digits(_ w: UInt64, outside separatorMask: UInt64) -> Bool {
        let m = ~separatorMask
        let highs: UInt64 = 0xF0F0_F0F0_F0F0_F0F0, lows: UInt64 = 0x0F0F_0F0F_0F0F_0F0F
        // A digit is 0x30…0x39: high nibble 3, and a low nibble that does not carry when 6 is added.
        return w & m & highs == 0x3030_3030_3030_3030 & m && ((w & m & lows) &+ (0x0606_0606_0606_0606 & m)) & highs == 0
    }

    @inline(__always)
    private static func digit(_ w: UInt64, _ i: UInt64) -> Int { Int(truncatingIfNeeded: w >> (8 * i) & 0x0F) }

    /// Milliseconds since the epoch for the exact form at `pos` (the opening quote), with `pos` moved
    /// past the closing quote; nil, with `pos` unmoved, for anything else (the general path decides).
    @inline(__always)
    mutating func fastTimestamp() -> Int64? {
        guard pos + 25 <= end, base[pos] == 0x22 else { return nil }
        let p = UnsafeRawPointer(base + pos + 1)
        let a = p.loadUnaligned(as: UInt64.self).littleEndian
        let b = p.loadUnaligned(fromByteOffset: 8, as: UInt64.self).littleEndian
        let c = p.loadUnaligned(fromByteOffset: 16, as: UInt64.self).littleEndian
        let (ma, mb, mc) = Self.separatorMasks, (sa, sb, sc) = Self.separators
        guard a & ma == sa, b & mb == sb, c & mc == sc,
              Self.digits(a, outside: ma), Self.digits(b, outside: mb), Self.digits(c, outside: mc) else { return nil }
        let d = Self.digit
        let year = d(a, 0) * 1000 + d(a, 1) * 100 + d(a, 2) * 10 + d(a, 3)
        let month = d(a, 5) * 10 + d(a, 6), day = d(b, 0) * 10 + d(b, 1)
        let hour = d(b, 3) * 10 + d(b, 4), minute = d(b, 6) * 10 + d(b, 7), second = d(c, 1) * 10 + d(c, 2)
        let millis = d(c, 4) * 100 + d(c, 5) * 10 + d(c, 6)
        guard month >= 1, month <= 12, day >= 1, day <= Self.daysIn(month: month, year: year),
              hour < 24, minute < 60, second < 60 else { return nil }
        pos += 25
        let days = Int64(CivilDate.epochDay(year: year, month: month, day: day))
        return days * 86_400_000 + Int64(((hour * 60 + minute) * 60 + second) * 1000 + millis)
    }
}
