/// SipHash-2-4 (Aumasson and Bernstein), 64-bit output: the keyed row fingerprint. With a key kept
/// in the feed's metadata, a producer cannot craft two different rows that collide (FNV, the
/// fingerprint before, has no key and is easy to collide on purpose).
package struct SipHash: Sendable, Equatable {
    package let k0: UInt64
    package let k1: UInt64

    package init(k0: UInt64, k1: UInt64) {
        self.k0 = k0
        self.k1 = k1
    }

    /// A new random key.
    package static func random() -> SipHash {
        var g = SystemRandomNumberGenerator()
        return SipHash(k0: g.next(), k1: g.next())
    }

    /// The key as 32 hex digits (k0 then k1, each big-endian), as the metadata keeps it.
    package var hex: String { Self.hex(k0) + Self.hex(k1) }

    package init?(hex: String) {
        guard hex.count == 32, let a = UInt64(hex.prefix(16), radix: 16), let b = UInt64(hex.suffix(16), radix: 16) else { return nil }
        self.init(k0: a, k1: b)
    }

    static func hex(_ v: UInt64) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }

    @inline(__always)
    static func rotl(_ x: UInt64, _ b: UInt64) -> UInt64 { (x << b) | (x >> (64 &- b)) }

    package func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var v0: UInt64 = 0x736f_6d65_7073_6575 ^ k0
        var v1: UInt64 = 0x646f_7261_6e64_6f6d ^ k1
        var v2: UInt64 = 0x6c79_6765_6e65_7261 ^ k0
        var v3: UInt64 = 0x7465_6462_7974_6573 ^ k1
        @inline(__always) func round() {
            v0 = v0 &+ v1; v1 = Self.rotl(v1, 13); v1 ^= v0; v0 = Self.rotl(v0, 32)
            v2 = v2 &+ v3; v3 = Self.rotl(v3, 16); v3 ^= v2
            v0 = v0 &+ v3; v3 = Self.rotl(v3, 21); v3 ^= v0
            v2 = v2 &+ v1; v1 = Self.rotl(v1, 17); v1 ^= v2; v2 = Self.rotl(v2, 32)
        }
        let n = bytes.count
        let whole = n & ~7
        var i = 0
        while i < whole {
            let m = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            v3 ^= m
            round(); round()
            v0 ^= m
            i += 8
        }
        var last = UInt64(truncatingIfNeeded: n) << 56
        var shift: UInt64 = 0
        while i < n {
            last |= UInt64(bytes[i]) << shift
            shift += 8
            i += 1
        }
        v3 ^= last
        round(); round()
        v0 ^= last
        v2 ^= 0xff
        round(); round(); round(); round()
        return v0 ^ v1 ^ v2 ^ v3
    }
}
