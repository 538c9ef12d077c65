import Testing
@testable import DataLake

/// The row's leading integer (its ROWTIME) is read without overflow checks for its first 18 digits:
/// every length up to 20 digits, both signs and the Int64 ends must agree with `Int64(String)`.
struct RowFieldsIntegerTests {
    private func leading(_ text: String) -> Int64? {
        Array(text.utf8).withUnsafeBytes { RowFields.leadingInt64($0) }
    }

    @Test func everyLengthAgreesWithTheStandardLibrary() {
        var digits = RandomDigits(seed: 0x2545_F491_4F6C_DD1D)
        for length in 1...20 {
            for _ in 0..<200 {
                let text = digits.next(count: length)
                for sign in ["", "-"] {
                    let want = sign + text == "-9223372036854775808" ? nil : Int64(sign + text)
                    #expect(leading("[\(sign)\(text),\"x\"]") == want, "\(sign)\(text)")
                }
            }
        }
    }

    @Test func theEndsOfInt64AndTheirNeighbours() {
        #expect(leading("[9223372036854775807,1]") == .max)
        #expect(leading("[9223372036854775808,1]") == nil)
        #expect(leading("[99999999999999999999]") == nil)
        #expect(leading("[-9223372036854775807]") == -.max)
        // The magnitude is read first, so Int64.min is out of range here (no ROWTIME is).
        #expect(leading("[-9223372036854775808]") == nil)
        #expect(leading("[999999999999999999,1]") == 999_999_999_999_999_999)
        #expect(leading("[1796083200164,\"tx-1\"]") == 1_796_083_200_164)
        #expect(leading(" [ 42]") == 42)
        #expect(leading("[\"a\",1]") == nil)
        #expect(leading("[-]") == nil)
        #expect(leading("[") == nil)
        #expect(leading("") == nil)
    }
}
