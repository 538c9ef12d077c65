import Testing
@testable import Parquet

@Suite struct DeltaByteArrayEncoderTests {
    static func encode(_ values: [[UInt8]]) -> [UInt8] {
        var plain: [UInt8] = []
        for v in values {
            withUnsafeBytes(of: UInt32(v.count).littleEndian) { plain.append(contentsOf: $0) }
            plain.append(contentsOf: v)
        }
        var out: [UInt8] = [0xEE]  // appends after what is there
        plain.withUnsafeBytes { DeltaByteArrayEncoder.encode(plain: $0, into: &out) }
        #expect(out.first == 0xEE)
        return Array(out.dropFirst())
    }

    static func encode(_ strings: [String]) -> [UInt8] { encode(strings.map { Array($0.utf8) }) }

    /// The DELTA_BINARY_PACKED header: 128 values a block (ULEB128 0x80 0x01), 4 miniblocks.
    static let blockHeader: [UInt8] = [0x80, 0x01, 0x04]

    @Test func specExample() {
        // Encodings.md: "axis", "axle", "babble", "babyhood" → prefix lengths 0, 2, 0, 3, suffix lengths
        // 4, 2, 6, 5, then "axislebabbleyhood".
        // Prefix lengths: 4 values, first 0; deltas 2, -2, 3, min -2 (zigzag 3), relative 4, 0, 5 on
        // 3 bits LSB first: bits 2 and 6 of byte 0 (0x44), bit 0 of byte 1; 32 × 3 bits = 12 bytes.
        let prefixes = Self.blockHeader + [0x04, 0x00] + [0x03, 3, 0, 0, 0] + [0x44, 0x01] + Array(repeating: 0, count: 10)
        // Suffix lengths: first 4 (zigzag 8); deltas -2, 4, -1, min -2, relative 0, 6, 1 on 3 bits:
        // 6 sets bits 4 and 5, 1 sets bit 6 (0x70).
        let lengths = Self.blockHeader + [0x04, 0x08] + [0x03, 3, 0, 0, 0] + [0x70] + Array(repeating: 0, count: 11)
        #expect(Self.encode(["axis", "axle", "babble", "babyhood"]) == prefixes + lengths + Array("axislebabbleyhood".utf8))
    }

    @Test func emptyPageHasTwoEmptyStreams() {
        let empty = Self.blockHeader + [0x00, 0x00]
        #expect(Self.encode([] as [[UInt8]]) == empty + empty)
    }

    @Test func oneValueIsItsWholeSuffix() {
        // Prefix 0; suffix length 3 (zigzag 6); no blocks after a lone first value.
        #expect(Self.encode(["abc"]) == Self.blockHeader + [0x01, 0x00] + Self.blockHeader + [0x01, 0x06] + Array("abc".utf8))
    }

    @Test func emptyStrings() {
        // Prefixes all 0: min delta 0, widths 0. Suffix lengths 0, 0, 1, 0: deltas 0, 1, -1, min -1
        // (zigzag 1), relative 1, 2, 0 on 2 bits: 0b1001; 32 × 2 bits = 8 bytes. Only "a" is stored.
        let prefixes = Self.blockHeader + [0x04, 0x00] + [0x00, 0, 0, 0, 0]
        let lengths = Self.blockHeader + [0x04, 0x00] + [0x01, 2, 0, 0, 0] + [0x09] + Array(repeating: 0, count: 7)
        #expect(Self.encode(["", "", "a", ""]) == prefixes + lengths + [0x61])
        #expect(DeltaByteArrayDecoder.decode(Self.encode(["", ""])) == [[], []])
    }

    @Test func longSharedPrefixesKeepOnlyTheChange() {
        let stem = String(repeating: "customer/eu-west/", count: 60)  // 1,020 bytes
        let values = (0..<300).map { "\(stem)\(String($0, radix: 16))" }
        let bytes = Self.encode(values)
        #expect(DeltaByteArrayDecoder.decode(bytes) == values.map { Array($0.utf8) })
        let (prefixes, end) = DeltaBinaryPackedDecoder.decode(bytes, from: 0, as: Int32.self)
        #expect(prefixes.first == 0)
        #expect(prefixes.dropFirst().allSatisfy { $0 >= 1020 })
        // The stem once, then a digit or two a value.
        #expect(bytes.count - end < 1020 + 2 * 300 + 200)
    }

    @Test func prefixesEndAtTheFirstDifferingByte() {
        // A difference at every offset of the 8-byte compare and of the byte-by-byte tail.
        let base = Array(0..<40).map { UInt8($0) }
        for at in 0..<40 {
            var other = base
            other[at] ^= 0x80
            let values = [base, other, Array(other.prefix(at)), base]
            let bytes = Self.encode(values)
            #expect(DeltaBinaryPackedDecoder.decode(bytes, from: 0, as: Int32.self).values == [0, Int32(at), Int32(at), Int32(at)])
            #expect(DeltaByteArrayDecoder.decode(bytes) == values)
        }
    }

    @Test func nonASCIIBytesRoundTrip() {
        // "é" and "è" share their first UTF-8 byte (0xC3); raw bytes 0x00 and 0xFF as well.
        let values: [[UInt8]] = [Array("café".utf8), Array("cafè".utf8), Array("日本語".utf8), Array("日本".utf8),
                                 [0x00, 0xFF, 0x00], [0x00, 0xFF, 0x01], [0xFF], [], [0xFF, 0xFF]]
        let bytes = Self.encode(values)
        #expect(DeltaBinaryPackedDecoder.decode(bytes, from: 0, as: Int32.self).values == [0, 4, 0, 6, 0, 2, 0, 0, 0])
        #expect(DeltaByteArrayDecoder.decode(bytes) == values)
    }

    @Test func roundTripsAcrossBlocks() {
        var rng = SystemRandomNumberGenerator()
        for count in [2, 127, 128, 129, 1000] {
            let ids = (0..<count).map { i -> [UInt8] in
                let digits = String(i * 7)
                return Array("tx-\(String(repeating: "0", count: 9 - digits.count))\(digits)".utf8)
            }
            let random = (0..<count).map { _ in (0..<Int.random(in: 0..<20, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) } }
            for values in [ids, random] {
                #expect(DeltaByteArrayDecoder.decode(Self.encode(values)) == values)
            }
        }
    }
}

/// A reader of DELTA_BYTE_ARRAY for the tests, written from Encodings.md (the writer has none).
enum DeltaByteArrayDecoder {
    static func decode(_ bytes: [UInt8]) -> [[UInt8]] {
        let (prefixes, lengthsAt) = DeltaBinaryPackedDecoder.decode(bytes, from: 0, as: Int32.self)
        let (lengths, suffixesAt) = DeltaBinaryPackedDecoder.decode(bytes, from: lengthsAt, as: Int32.self)
        var at = suffixesAt
        var out: [[UInt8]] = []
        for (prefix, length) in zip(prefixes, lengths) {
            out.append(Array((out.last ?? []).prefix(Int(prefix))) + bytes[at..<(at + Int(length))])
            at += Int(length)
        }
        #expect(prefixes.count == lengths.count && at == bytes.count)
        return out
    }
}
