import Testing
@testable import Parquet

@Suite struct RLEHybridEncoderTests {
    func encode(_ values: [UInt32], width: Int) -> [UInt8] {
        var out: [UInt8] = []
        RLEHybridEncoder.encode(values, bitWidth: width, into: &out)
        return out
    }

    @Test func bitWidths() {
        #expect(RLEHybridEncoder.bitWidth(forMax: 0) == 0)
        #expect(RLEHybridEncoder.bitWidth(forMax: 1) == 1)
        #expect(RLEHybridEncoder.bitWidth(forMax: 3) == 2)
        #expect(RLEHybridEncoder.bitWidth(forMax: 4) == 3)
        #expect(RLEHybridEncoder.bitWidth(forMax: 255) == 8)
        #expect(RLEHybridEncoder.bitWidth(forMax: 256) == 9)
    }

    @Test func repeatedRunBecomesRLE() {
        // header varint (10 << 1) = 0x14, then the value in one byte.
        #expect(encode(Array(repeating: 1, count: 10), width: 1) == [0x14, 0x01])
        // A 9-bit value takes two bytes, little-endian.
        #expect(encode(Array(repeating: 300, count: 8), width: 9) == [0x10, 0x2C, 0x01])
    }

    @Test func specBitPackingExample() {
        // Encodings.md: 0..7 with bit width 3 packs to 10001000 11000110 11111010.
        #expect(encode([0, 1, 2, 3, 4, 5, 6, 7], width: 3) == [0x03, 0x88, 0xC6, 0xFA])
    }

    @Test func shortLiteralIsPaddedToAGroup() {
        #expect(encode([1, 0, 1], width: 1) == [0x03, 0x05])
    }

    @Test func runThenLiteral() {
        #expect(encode(Array(repeating: 2, count: 10) + [1, 2, 3], width: 2) == [0x14, 0x02, 0x03, 0x39, 0x00])
    }

    @Test func literalBorrowsFromRunToFillItsGroup() {
        // 3 literals + 12 zeros: only 7 zeros would remain after padding the group → all bit-packed.
        #expect(encode([1, 2, 3] + Array(repeating: 0, count: 12), width: 2) == [0x05, 0x39, 0x00, 0x00, 0x00])
        // With 13 zeros, 5 pad the group and 8 form an RLE run.
        #expect(encode([1, 2, 3] + Array(repeating: 0, count: 13), width: 2) == [0x03, 0x39, 0x00, 0x10, 0x00])
    }

    @Test func longRunVarintHeader() {
        // 1000 << 1 = 2000 = 0xD0 0x0F as ULEB128.
        #expect(encode(Array(repeating: 3, count: 1000), width: 2) == [0xD0, 0x0F, 0x03])
    }
}
