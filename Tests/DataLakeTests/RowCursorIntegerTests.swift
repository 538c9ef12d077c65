import Testing
@testable import KsqlParquet

/// BIGINT and INTEGER digits add up without overflow checks for the first 19: every length up to
/// 21 digits, both signs and both ranges against `Int64(String)`.
struct RowCursorIntegerTests {
    private func parse(_ text: String, min: Int64, max: Int64) -> Int64? {
        Array(text.utf8).withUnsafeBytes { p in
            var c = RowCursor(p)
            return try? c.parseInteger(min: min, max: max, typeName: "BIGINT")
        }
    }

    @Test func everyLengthAndBothRangesAgreeWithTheStandardLibrary() {
        var digits = RandomDigits(seed: 0x1234_5678)
        for length in 1...21 {
            for _ in 0..<100 {
                let text = digits.next(count: length)
                for sign in ["", "-"] {
                    let want = Int64(sign + text)
                    #expect(parse(sign + text, min: .min, max: .max) == want, "\(sign)\(text)")
                    let int32 = want.flatMap { $0 >= Int64(Int32.min) && $0 <= Int64(Int32.max) ? $0 : nil }
                    #expect(parse(sign + text, min: Int64(Int32.min), max: Int64(Int32.max)) == int32, "\(sign)\(text)")
                }
            }
        }
        for edge in ["9223372036854775807", "-9223372036854775808", "9223372036854775808", "-9223372036854775809",
                     "18446744073709551615", "18446744073709551616", "99999999999999999999", "2147483648", "-2147483648"] {
            #expect(parse(edge, min: .min, max: .max) == Int64(edge), "\(edge)")
        }
    }
}
