import Testing
@testable import Parquet

@Suite struct ByteStreamSplitEncoderTests {
    static func encode(_ plain: [UInt8], width: Int) -> [UInt8] {
        var out: [UInt8] = [0xEE]  // appends after what is there
        plain.withUnsafeBytes { ByteStreamSplitEncoder.encode(plain: $0, width: width, into: &out) }
        return Array(out.dropFirst())
    }

    @Test func specExample() {
        // Encodings.md: three 4-byte values AA BB CC DD, 00 11 22 33, A3 B4 C5 D6.
        let plain: [UInt8] = [0xAA, 0xBB, 0xCC, 0xDD, 0x00, 0x11, 0x22, 0x33, 0xA3, 0xB4, 0xC5, 0xD6]
        #expect(Self.encode(plain, width: 4) == [0xAA, 0x00, 0xA3, 0xBB, 0x11, 0xB4, 0xCC, 0x22, 0xC5, 0xDD, 0x33, 0xD6])
    }

    @Test func doublesSplitIntoEightStreams() {
        var plain: [UInt8] = []
        for v in [1.0, 2.0] { withUnsafeBytes(of: v.bitPattern.littleEndian) { plain.append(contentsOf: $0) } }
        // 1.0 = 3FF0 0000 0000 0000, 2.0 = 4000 0000 0000 0000: only the last two streams hold non-zeros.
        #expect(Self.encode(plain, width: 8) == Array(repeating: 0, count: 12) + [0xF0, 0x00, 0x3F, 0x40])
    }

    @Test func roundTrips() {
        let values: [Double] = [0, -0.0, .nan, .infinity, -.infinity, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 123.45, -1e-300]
        var plain: [UInt8] = []
        for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { plain.append(contentsOf: $0) } }
        let split = Self.encode(plain, width: 8)
        let n = values.count
        let back = (0..<n).map { i in (0..<8).map { k in split[k * n + i] } }.flatMap { $0 }
        #expect(back == plain)
        #expect(Self.encode([], width: 8).isEmpty)
    }
}
