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

    /// Decodes `count` values of the hybrid encoding (Encodings.md), as a reader does.
    static func decode(_ bytes: [UInt8], bitWidth: Int, count: Int) -> [UInt64] {
        var out: [UInt64] = []
        var cursor = DeltaBinaryPackedDecoder.Cursor(bytes: bytes)
        while out.count < count {
            let header = cursor.uleb()
            if header & 1 == 0 {
                var v: UInt64 = 0
                for k in 0..<((bitWidth + 7) / 8) { v |= UInt64(bytes[cursor.at + k]) << (8 * UInt64(k)) }
                cursor.at += (bitWidth + 7) / 8
                out += Array(repeating: v, count: Int(header >> 1))
            } else {
                let n = Int(header >> 1) * 8
                for k in 0..<n {
                    var v: UInt64 = 0
                    for b in 0..<bitWidth {
                        let bit = k * bitWidth + b
                        if bytes[cursor.at + bit / 8] >> UInt8(bit % 8) & 1 == 1 { v |= 1 << UInt64(b) }
                    }
                    out.append(v)
                }
                cursor.at += n * bitWidth / 8
            }
        }
        #expect(cursor.at == bytes.count, "no bytes after the last run")
        return Array(out.prefix(count))
    }

    /// Every width from 1 to 32, literal stretches of every length modulo 8 between runs, against a
    /// bit-by-bit decoder.
    @Test func roundTripsAtEveryWidth() {
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
        for width in 1...32 {
            let mask: UInt64 = (1 << UInt64(width)) - 1
            for length in [0, 1, 7, 8, 9, 15, 16, 17, 63, 100, 1000] {
                var values: [UInt32] = []
                while values.count < length {
                    let v = UInt32(next() & mask)
                    // Sometimes a run (long enough for RLE or not), mostly single values.
                    let repeats = next() % 5 == 0 ? Int(next() % 20) + 1 : 1
                    values += Array(repeating: v, count: min(repeats, length - values.count))
                }
                let encoded = encode(values, width: width)
                #expect(Self.decode(encoded, bitWidth: width, count: values.count) == values.map(UInt64.init), "width \(width), \(length) values")
            }
        }
    }
}
