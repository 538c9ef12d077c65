/// Distinct byte strings of a column chunk, in first-seen order, with an open-addressing hash table
/// over one byte arena so that looking a value up never allocates.
struct ByteArrayDictionary {
    private(set) var arena: [UInt8] = []
    /// Per value, its start in `arena` (high 32 bits) and its length (low 32): one load where a
    /// lookup read two arrays (the second load was a sixth of a lookup's time).
    private(set) var spans: [UInt64] = []
    /// Open-addressing slots: 32 bits of a value's hash (`tag`), a set bit 31, and its index (0 is an
    /// empty slot). A probe compares the hash bits before it reads `spans` and the arena, so only a
    /// match (almost always the value itself) waits on those loads. Slots of 16 bytes that held the
    /// value's first word measured the same and took twice the cache.
    private var table: [UInt64] = Array(repeating: 0, count: 1024)
    private var mask = 1023
    /// 64 − log2(table size): the hash's top bits index the table.
    private var shift = 54
    /// Size of the dictionary page, PLAIN encoded (4-byte length prefixes for BYTE_ARRAY).
    private(set) var plainSize = 0
    let fixedLength: Int?

    /// ANDed into every hash: all ones, except in tests that make values collide on purpose, so that
    /// the byte comparison behind the hash bits is what tells them apart.
    private let hashMask: UInt64

    init(fixedLength: Int?, hashMask: UInt64 = ~0) {
        self.fixedLength = fixedLength
        self.hashMask = hashMask
    }

    var count: Int { spans.count }

    @inline(__always)
    private func bounds(_ idx: Int) -> Range<Int> {
        let span = spans[idx]
        let start = Int(span >> 32)
        return start..<(start + Int(span & 0xFFFF_FFFF))
    }

    /// The value's last word for its hash: its last 8 bytes, two overlapping loads for 4 to 7, the
    /// first, middle and last byte for 1 to 3 (with the length, the whole of a value up to 8 bytes).
    /// Read in at most two loads, not byte by byte: most text values are short.
    @inline(__always)
    static func key(_ p: UnsafeRawBufferPointer) -> UInt64 {
        let n = p.count
        guard let b = p.baseAddress, n > 0 else { return 0 }
        if n >= 8 { return b.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self) }
        if n >= 4 {
            return UInt64(b.loadUnaligned(as: UInt32.self)) | UInt64(b.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)) << 32
        }
        return UInt64(b.load(as: UInt8.self)) | UInt64(b.load(fromByteOffset: n >> 1, as: UInt8.self)) << 8
            | UInt64(b.load(fromByteOffset: n - 1, as: UInt8.self)) << 16
    }

    /// The hash of a value whose `key` is `k`: the words before the last 8 bytes, then `k`, each
    /// multiplied in. Slots are taken from the top bits (`slot(_:)`), where a multiplication mixes
    /// every bit of its input, so one multiplication a word is enough.
    @inline(__always)
    static func hash(_ p: UnsafeRawBufferPointer, key k: UInt64) -> UInt64 {
        let n = p.count
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 &* UInt64(n &+ 1)
        if n > 8, let b = p.baseAddress {
            var i = 0
            while i + 8 < n {
                h = (h ^ b.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
                h = h << 29 | h >> 35
                i += 8
            }
        }
        return (h ^ k) &* 0x9E37_79B9_7F4A_7C15
    }

    @inline(__always)
    private func slot(_ h: UInt64) -> Int { Int(truncatingIfNeeded: h >> UInt64(shift)) }

    /// Bits 16–47 of the hash, below those that chose the slot (the low ones mix least), and bit 31.
    @inline(__always)
    private static func tag(_ h: UInt64) -> UInt64 { (h << 16) & 0xFFFF_FFFF_0000_0000 | 1 << 31 }

    /// Returns the index of `p`, adding it when new.
    @inline(__always)
    mutating func index(of p: UnsafeRawBufferPointer) -> UInt32 {
        let n = p.count
        let k = Self.key(p)
        let h = Self.hash(p, key: k) & hashMask
        let tag = Self.tag(h)
        var slot = slot(h)
        while true {
            let s = table[slot]
            if s == 0 { break }
            if s & 0xFFFF_FFFF_8000_0000 == tag {
                let idx = Int(s & 0x7FFF_FFFF)
                let span = spans[idx]
                if Int(span & 0xFFFF_FFFF) == n {
                    let equal = arena.withUnsafeBytes { a in n == 0 || memcmpEqual(a.baseAddress! + Int(span >> 32), p.baseAddress!, n) }
                    if equal { return UInt32(idx) }
                }
            }
            slot = (slot + 1) & mask
        }
        let idx = spans.count
        spans.append(UInt64(arena.count) << 32 | UInt64(n))
        arena.append(contentsOf: p)
        plainSize += n + (fixedLength == nil ? 4 : 0)
        table[slot] = tag | UInt64(idx)
        if spans.count * 2 > mask { grow() }
        return UInt32(idx)
    }

    private mutating func grow() {
        let newSize = (mask + 1) * 2
        mask = newSize - 1
        shift -= 1
        table = Array(repeating: 0, count: newSize)
        arena.withUnsafeBytes { a in
            for idx in 0..<spans.count {
                let p = UnsafeRawBufferPointer(rebasing: a[bounds(idx)])
                let h = Self.hash(p, key: Self.key(p)) & hashMask
                var slot = slot(h)
                while table[slot] != 0 { slot = (slot + 1) & mask }
                table[slot] = Self.tag(h) | UInt64(idx)
            }
        }
    }

    /// Empties the dictionary for the next chunk, keeping its memory.
    mutating func removeAll() {
        arena.removeAll(keepingCapacity: true)
        spans.removeAll(keepingCapacity: true)
        table.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        plainSize = 0
    }

    /// Calls `body` with each value, in index order.
    func forEachValue(_ body: (UnsafeRawBufferPointer) -> Void) {
        arena.withUnsafeBytes { a in
            for idx in 0..<spans.count {
                body(UnsafeRawBufferPointer(rebasing: a[bounds(idx)]))
            }
        }
    }

    /// Appends the values at `indices`, PLAIN encoded (with 4-byte length prefixes when `lengthPrefixed`).
    func appendPlain(_ indices: UnsafeBufferPointer<UInt32>, lengthPrefixed: Bool, to out: inout [UInt8]) {
        arena.withUnsafeBytes { a in
            for i in indices {
                let idx = Int(i)
                let r = bounds(idx)
                if lengthPrefixed { withUnsafeBytes(of: UInt32(r.count).littleEndian) { out.append(contentsOf: $0) } }
                out.append(contentsOf: UnsafeRawBufferPointer(rebasing: a[r]))
            }
        }
    }

    /// The dictionary page body.
    func plainEncoded(into out: inout [UInt8]) {
        out.reserveCapacity(out.count + plainSize)
        for idx in 0..<spans.count {
            let r = bounds(idx)
            if fixedLength == nil {
                var len = UInt32(r.count).littleEndian
                withUnsafeBytes(of: &len) { out.append(contentsOf: $0) }
            }
            out.append(contentsOf: arena[r])
        }
    }
}

@inline(__always)
func memcmpEqual(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ n: Int) -> Bool {
    // Word loads, the last one overlapping, as `ByteArrayDictionary.hash` reads a value.
    if n >= 8 {
        var i = 0
        while i + 8 < n {
            if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
            i += 8
        }
        return a.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self) == b.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
    }
    if n >= 4 {
        return a.loadUnaligned(as: UInt32.self) == b.loadUnaligned(as: UInt32.self)
            && a.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self) == b.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
    }
    // 0 to 3 bytes: the first, middle and last cover them all.
    return n == 0 || (a.load(as: UInt8.self) == b.load(as: UInt8.self)
        && a.load(fromByteOffset: n >> 1, as: UInt8.self) == b.load(fromByteOffset: n >> 1, as: UInt8.self)
        && a.load(fromByteOffset: n - 1, as: UInt8.self) == b.load(fromByteOffset: n - 1, as: UInt8.self))
}

@inline(__always)
func memcmpOrder(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ n: Int) -> Int32 {
    var i = 0
    while i + 8 <= n {
        let x = a.loadUnaligned(fromByteOffset: i, as: UInt64.self)
        let y = b.loadUnaligned(fromByteOffset: i, as: UInt64.self)
        if x != y {
            let bx = x.bigEndian, by = y.bigEndian
            return bx < by ? -1 : 1
        }
        i += 8
    }
    while i < n {
        let x = a.load(fromByteOffset: i, as: UInt8.self), y = b.load(fromByteOffset: i, as: UInt8.self)
        if x != y { return x < y ? -1 : 1 }
        i += 1
    }
    return 0
}
