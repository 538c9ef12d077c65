import Testing
@testable import Parquet

@Suite struct DeltaBinaryPackedEncoderTests {
    static func encode<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
        var plain: [UInt8] = []
        for v in values { withUnsafeBytes(of: v.littleEndian) { plain.append(contentsOf: $0) } }
        var out: [UInt8] = []
        _ = plain.withUnsafeBytes { DeltaBinaryPackedEncoder.encode(plain: $0, width: MemoryLayout<T>.size, into: &out) }
        return out
    }

    /// 128 (ULEB128 0x80 0x01) values a block, 4 miniblocks: the header every page starts with.
    static let blockHeader: [UInt8] = [0x80, 0x01, 0x04]

    @Test func specExampleOneGrowsByOne() {
        // Encodings.md example 1 (there with 8-value blocks): 1..5, deltas all 1, min delta 1 (zigzag 2),
        // every miniblock 0 bits wide and without data.
        #expect(Self.encode([1, 2, 3, 4, 5] as [Int64]) == Self.blockHeader + [0x05, 0x02] + [0x02, 0, 0, 0, 0])
    }

    @Test func specExampleTwoPacksRelativeDeltas() {
        // Example 2: 7,5,3,1,2,3,4,5: deltas -2,-2,-2,1,1,1,1, min -2 (zigzag 3), relative 0,0,0,3,3,3,3 on
        // 2 bits, LSB first: 0b11000000, 0b00111111, then zeros to 32 values × 2 bits = 8 bytes.
        let miniblock: [UInt8] = [0xC0, 0x3F, 0, 0, 0, 0, 0, 0]
        #expect(Self.encode([7, 5, 3, 1, 2, 3, 4, 5] as [Int32]) == Self.blockHeader + [0x08, 0x0E] + [0x03, 2, 0, 0, 0] + miniblock)
    }

    @Test func emptyAndSingleValuePagesHaveOnlyAHeader() {
        #expect(Self.encode([] as [Int64]) == Self.blockHeader + [0x00, 0x00])
        // -3 zigzags to 5.
        #expect(Self.encode([-3] as [Int64]) == Self.blockHeader + [0x01, 0x05])
    }

    @Test func int64DeltasWrapAcrossTheEnds() {
        // Int64.max → Int64.min is +1 and back is -1 once wrapped: min delta -1 (zigzag 1), relative 2 and 0
        // on 2 bits. Int64.max zigzags to 2^64 - 2: ten ULEB128 bytes.
        let first: [UInt8] = [0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]
        #expect(Self.encode([.max, .min, .max] as [Int64])
            == Self.blockHeader + [0x03] + first + [0x01, 2, 0, 0, 0] + [0x02, 0, 0, 0, 0, 0, 0, 0])
    }

    @Test func int32DeltasWrapInThirtyTwoBits() {
        // Int32.min → Int32.max is -1 in 32 bits (2^32 - 1 in 64): one delta, min delta -1, width 0.
        #expect(Self.encode([.min, .max] as [Int32]) == Self.blockHeader + [0x02, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F] + [0x01, 0, 0, 0, 0])
    }

    @Test func roundTripsAcrossBlocksAndWidths() {
        var rng = SystemRandomNumberGenerator()
        let extremes: [Int64] = [.min, .max, 0, -1, 1, .min, .min, .max, .max, 0]
        for count in [1, 2, 31, 32, 33, 127, 128, 129, 130, 257, 1000, 4097] {
            let growing = (0..<count).map { Int64(1_700_000_000_000) + Int64($0) * 37 + Int64.random(in: 0..<40, using: &rng) }
            let random = (0..<count).map { _ in Int64.random(in: .min ... .max, using: &rng) }
            let mixed = (0..<count).map { extremes[$0 % extremes.count] &+ Int64($0 % 3) }
            for values in [growing, random, mixed] {
                #expect(DeltaBinaryPackedDecoder.decode(Self.encode(values), as: Int64.self) == values)
                let narrow = values.map { Int32(truncatingIfNeeded: $0) }
                #expect(DeltaBinaryPackedDecoder.decode(Self.encode(narrow), as: Int32.self) == narrow)
            }
        }
    }

    @Test func noMiniblockIsWiderThanTheType() {
        // Deltas of extreme values still pack into 64 (INT64) or 32 (INT32) bits.
        let values: [Int64] = [0, .min, .max, .min, 0]
        let bytes = Self.encode(values)
        #expect(DeltaBinaryPackedDecoder.widths(bytes).allSatisfy { $0 <= 64 })
        let narrow: [Int32] = [0, .min, .max, .min, 0]
        #expect(DeltaBinaryPackedDecoder.widths(Self.encode(narrow)).allSatisfy { $0 <= 32 })
        #expect(DeltaBinaryPackedDecoder.decode(bytes, as: Int64.self) == values)
    }

    @Test func growingTimestampsTakeAFewBitsEach() {
        let values = (0..<10_000).map { Int64(1_700_000_000_000) + Int64($0) * 20 + Int64($0 % 7) }
        // Deltas of 21, and 14 where i % 7 wraps: 3 bits a value, plus a few bytes a block.
        #expect(Self.encode(values).count < values.count * 8 / 12)
    }
}

/// A reader of DELTA_BINARY_PACKED for the tests, written from Encodings.md (the writer has none).
enum DeltaBinaryPackedDecoder {
    struct Cursor {
        let bytes: [UInt8]
        var at = 0
        mutating func uleb() -> UInt64 {
            var v: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                let b = bytes[at]
                at += 1
                v |= UInt64(b & 0x7F) << shift
                if b < 0x80 { return v }
                shift += 7
            }
        }
        mutating func zigzag() -> Int64 {
            let u = uleb()
            return Int64(bitPattern: u >> 1) ^ -Int64(bitPattern: u & 1)
        }
    }

    static func decode<T: FixedWidthInteger & SignedInteger>(_ bytes: [UInt8], as type: T.Type) -> [T] {
        decode(bytes, from: 0, as: type).values
    }

    /// The values of the stream that starts at `start`, and where it ends (what follows it there).
    static func decode<T: FixedWidthInteger & SignedInteger>(_ bytes: [UInt8], from start: Int, as _: T.Type) -> (values: [T], end: Int) {
        var c = Cursor(bytes: bytes, at: start)
        let blockSize = Int(c.uleb()), miniblocks = Int(c.uleb()), count = Int(c.uleb())
        let perMiniblock = blockSize / miniblocks
        var last = T(truncatingIfNeeded: c.zigzag())
        var out: [T] = count > 0 ? [last] : []
        while out.count < count {
            let minDelta = T(truncatingIfNeeded: c.zigzag())
            let widths = (0..<miniblocks).map { Int(bytes[c.at + $0]) }
            c.at += miniblocks
            for w in widths where out.count < count {
                var bitPos = 0
                for _ in 0..<perMiniblock {
                    var v: UInt64 = 0
                    for b in 0..<w {
                        let bit = (bytes[c.at + (bitPos + b) / 8] >> UInt8((bitPos + b) % 8)) & 1
                        v |= UInt64(bit) << UInt64(b)
                    }
                    bitPos += w
                    if out.count < count {
                        last = last &+ minDelta &+ T(truncatingIfNeeded: v)
                        out.append(last)
                    }
                }
                c.at += perMiniblock * w / 8
            }
        }
        return (out, c.at)
    }

    /// The bit widths of every miniblock, in order.
    static func widths(_ bytes: [UInt8]) -> [Int] {
        var c = Cursor(bytes: bytes)
        let blockSize = Int(c.uleb()), miniblocks = Int(c.uleb()), count = Int(c.uleb())
        _ = c.zigzag()
        var out: [Int] = []
        var left = count - 1
        while left > 0 {
            _ = c.zigzag()
            let widths = (0..<miniblocks).map { Int(bytes[c.at + $0]) }
            c.at += miniblocks
            for w in widths where left > 0 {
                out.append(w)
                c.at += blockSize / miniblocks * w / 8
                left -= blockSize / miniblocks
            }
        }
        return out
    }
}
