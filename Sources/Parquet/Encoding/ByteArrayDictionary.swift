/// Distinct byte strings of a column chunk, in first-seen order, with an open-addressing hash table
/// over one byte arena so that looking a value up never allocates.
struct ByteArrayDictionary {
    private(set) var arena: [UInt8] = []
    /// Per value, its start in `arena` (high 32 bits) and its length (low 32): one load where a
    /// lookup read two arrays (the second load was a sixth of a lookup's time).
    private(set) var spans: [UInt64] = []
    private var table: [Int32] = Array(repeating: 0, count: 1024)
    private var mask = 1023
    /// Size of the dictionary page, PLAIN encoded (4-byte length prefixes for BYTE_ARRAY).
    private(set) var plainSize = 0
    let fixedLength: Int?

    init(fixedLength: Int?) { self.fixedLength = fixedLength }

    var count: Int { spans.count }

    @inline(__always)
    private func bounds(_ idx: Int) -> Range<Int> {
        let span = spans[idx]
        let start = Int(span >> 32)
        return start..<(start + Int(span & 0xFFFF_FFFF))
    }

    /// The tail (or a value shorter than 8 bytes) is read with at most two overlapping loads, not byte
    /// by byte: most text values are short, and the byte loop was half of a lookup.
    @inline(__always)
    static func hash(_ p: UnsafeRawBufferPointer) -> UInt64 {
        let n = p.count
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(n)
        guard let b = p.baseAddress else { return h }
        var k: UInt64
        if n >= 8 {
            var i = 0
            while i + 8 < n {
                h = (h ^ b.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
                h ^= h >> 29
                i += 8
            }
            k = b.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
        } else if n >= 4 {
            k = UInt64(b.loadUnaligned(as: UInt32.self)) | UInt64(b.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)) << 32
        } else if n > 0 {
            k = UInt64(b.load(as: UInt8.self)) | UInt64(b.load(fromByteOffset: n >> 1, as: UInt8.self)) << 8
                | UInt64(b.load(fromByteOffset: n - 1, as: UInt8.self)) << 16
        } else {
            k = 0
        }
        h = (h ^ k) &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 32
        h = h &* 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 29
        return h
    }

    /// Returns the index of `p`, adding it when new.
    @inline(__always)
    mutating func index(of p: UnsafeRawBufferPointer) -> UInt32 {
        var slot = Int(truncatingIfNeeded: Self.hash(p)) & mask
        while true {
            let e = table[slot]
            if e == 0 { break }
            let idx = Int(e - 1)
            let span = spans[idx]
            if Int(span & 0xFFFF_FFFF) == p.count {
                let equal = arena.withUnsafeBytes { a in
                    p.count == 0 || memcmpEqual(a.baseAddress! + Int(span >> 32), p.baseAddress!, p.count)
                }
                if equal { return UInt32(idx) }
            }
            slot = (slot + 1) & mask
        }
        let idx = spans.count
        spans.append(UInt64(arena.count) << 32 | UInt64(p.count))
        arena.append(contentsOf: p)
        plainSize += p.count + (fixedLength == nil ? 4 : 0)
        table[slot] = Int32(idx + 1)
        if spans.count * 2 > mask { grow() }
        return UInt32(idx)
    }

    private mutating func grow() {
        let newSize = (mask + 1) * 2
        mask = newSize - 1
        table = Array(repeating: 0, count: newSize)
        arena.withUnsafeBytes { a in
            for idx in 0..<spans.count {
                let p = UnsafeRawBufferPointer(rebasing: a[bounds(idx)])
                var slot = Int(truncatingIfNeeded: Self.hash(p)) & mask
                while table[slot] != 0 { slot = (slot + 1) & mask }
                table[slot] = Int32(idx + 1)
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
    func appendPlain(_ indices: [UInt32], lengthPrefixed: Bool, to out: inout [UInt8]) {
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
