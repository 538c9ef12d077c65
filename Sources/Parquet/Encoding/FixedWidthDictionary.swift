/// Distinct 4- or 8-byte values of a column chunk (by bit pattern), in first-seen order. The hash
/// table keeps each value next to its index so that a lookup touches one cache line.
struct FixedWidthDictionary {
    private(set) var values: [UInt64] = []
    /// Pairs (value, index + 1); index 0 marks an empty slot.
    private var table: [UInt64] = Array(repeating: 0, count: 2048)
    private var mask = 1023
    let width: Int

    init(width: Int) { self.width = width }

    var count: Int { values.count }
    var plainSize: Int { values.count * width }

    @inline(__always)
    static func hash(_ v: UInt64) -> Int {
        var h = v &* 0x9E37_79B9_7F4A_7C15
        h ^= h >> 32
        return Int(truncatingIfNeeded: h)
    }

    @inline(__always)
    mutating func index(of v: UInt64) -> UInt32 {
        var slot = Self.hash(v) & mask
        let found: UInt32? = table.withUnsafeBufferPointer { t in
            while true {
                let e = t[2 &* slot &+ 1]
                if e == 0 { return nil }
                if t[2 &* slot] == v { return UInt32(truncatingIfNeeded: e &- 1) }
                slot = (slot &+ 1) & mask
            }
        }
        if let found { return found }
        let idx = values.count
        values.append(v)
        table[2 * slot] = v
        table[2 * slot + 1] = UInt64(idx + 1)
        if values.count * 2 > mask { grow() }
        return UInt32(idx)
    }

    private mutating func grow() {
        let slots = (mask + 1) * 2
        mask = slots - 1
        table = Array(repeating: 0, count: 2 * slots)
        for (idx, v) in values.enumerated() {
            var slot = Self.hash(v) & mask
            while table[2 * slot + 1] != 0 { slot = (slot + 1) & mask }
            table[2 * slot] = v
            table[2 * slot + 1] = UInt64(idx + 1)
        }
    }

    func plainEncoded(into out: inout [UInt8]) {
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: plainSize))
        out.withUnsafeMutableBytes { raw in
            var at = start
            for v in values {
                withUnsafeBytes(of: v.littleEndian) { raw.baseAddress!.advanced(by: at).copyMemory(from: $0.baseAddress!, byteCount: width) }
                at += width
            }
        }
    }

    /// Appends the values at `indices`, PLAIN encoded.
    func appendPlain(_ indices: UnsafeBufferPointer<UInt32>, to out: inout [UInt8]) {
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: indices.count * width))
        out.withUnsafeMutableBytes { raw in
            values.withUnsafeBufferPointer { v in
                var at = raw.baseAddress!.advanced(by: start)
                for i in indices {
                    withUnsafeBytes(of: v[Int(i)].littleEndian) { at.copyMemory(from: $0.baseAddress!, byteCount: width) }
                    at += width
                }
            }
        }
    }

    /// Empties the dictionary for the next chunk, keeping its memory: chunks of one column tend to
    /// have as many distinct values as the last one.
    mutating func removeAll() {
        values.removeAll(keepingCapacity: true)
        table.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
    }
}
