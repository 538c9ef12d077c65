import Testing
@testable import Parquet

/// The dictionary hashes a value's last word apart from the rest, and filters probes by 32 bits of
/// hash: these values are built to share last words, lengths and heads, so only bytes tell them apart.
struct ByteArrayDictionaryTests {
    /// Values that agree on their last 8 bytes and length and differ before them, values of 0 to 8
    /// bytes that differ in one byte anywhere (zero bytes included), and enough of them to grow the
    /// table several times, looked up in a shuffled order with repeats.
    /// With the real hash, and with one that keeps 3 bits (every probe meets other values' slots
    /// with equal hash bits, so the lengths and bytes decide).
    @Test(arguments: [~UInt64(0), 0xE000_0000_0000_0000])
    func indicesMatchFirstSeenOrderOfEqualBytes(hashMask: UInt64) {
        var rng = SplitMix(seed: 7)
        var pool: [[UInt8]] = []
        for n in 0...8 {
            for _ in 0..<40 { pool.append((0..<n).map { _ in [0, 1, 0x61, 0xFF][Int(rng.next() % 4)] }) }
        }
        let tail = Array("12345678".utf8)
        for n in 9...40 {
            for _ in 0..<40 { pool.append((0..<(n - 8)).map { _ in UInt8(0x61 + rng.next() % 2) } + tail) }
        }
        var dict = ByteArrayDictionary(fixedLength: nil, hashMask: hashMask)
        var expected: [[UInt8]: UInt32] = [:]
        var order: [[UInt8]] = []
        var wrong: [(value: [UInt8], got: UInt32, want: UInt32)] = []
        for _ in 0..<20_000 {
            let v = pool[Int(rng.next() % UInt64(pool.count))]
            let want = expected[v] ?? {
                let i = UInt32(order.count)
                expected[v] = i
                order.append(v)
                return i
            }()
            let got = v.withUnsafeBytes { dict.index(of: $0) }
            if got != want { wrong.append((v, got, want)) }
        }
        #expect(wrong.isEmpty, "\(wrong.count) wrong indices, the first: \(String(describing: wrong.first))")
        #expect(dict.count == order.count)
        #expect(order.count > 1000)
        var seen: [[UInt8]] = []
        dict.forEachValue { seen.append(Array($0)) }
        #expect(seen == order)
        #expect(dict.plainSize == order.reduce(0) { $0 + $1.count + 4 })
    }

    @Test func sameKeyAndLengthDifferentHeadAreDifferentValues() {
        var dict = ByteArrayDictionary(fixedLength: nil)
        let a = Array("merchant_00000001".utf8), b = Array("customer_00000001".utf8)
        #expect(ByteArrayDictionary.key(a.withUnsafeBytes { $0 }) == ByteArrayDictionary.key(b.withUnsafeBytes { $0 }))
        #expect(a.withUnsafeBytes { dict.index(of: $0) } == 0)
        #expect(b.withUnsafeBytes { dict.index(of: $0) } == 1)
        #expect(a.withUnsafeBytes { dict.index(of: $0) } == 0)
        // A value's key without its length: "ab" and "ab\0" load the same bytes.
        #expect(Array("ab".utf8).withUnsafeBytes { dict.index(of: $0) } == 2)
        #expect([0x61, 0x62, 0].withUnsafeBytes { dict.index(of: $0) } == 3)
        #expect([UInt8]().withUnsafeBytes { dict.index(of: $0) } == 4)
        #expect([0].withUnsafeBytes { dict.index(of: $0) } == 5)
        #expect([UInt8]().withUnsafeBytes { dict.index(of: $0) } == 4)
    }

    @Test func emptiedDictionaryStartsAgain() {
        var dict = ByteArrayDictionary(fixedLength: nil)
        for i in 0..<3000 { _ = Array("v\(i)".utf8).withUnsafeBytes { dict.index(of: $0) } }
        dict.removeAll()
        #expect(dict.count == 0)
        #expect(Array("v2999".utf8).withUnsafeBytes { dict.index(of: $0) } == 0)
        #expect(Array("v0".utf8).withUnsafeBytes { dict.index(of: $0) } == 1)
        #expect(Array("v2999".utf8).withUnsafeBytes { dict.index(of: $0) } == 0)
    }
}

/// A small deterministic generator, so that a failure repeats.
private struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
