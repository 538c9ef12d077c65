/// Distinct 4- or 8-byte values of a column chunk (by bit pattern), in first-seen order.
struct FixedWidthDictionary {
    private(set) var values: [UInt64] = []
    private var table: [Int32] = Array(repeating: 0, count: 1024)
    private var mask = 1023
    let width: Int

    init(width: Int) { self.width = width }

    var count: Int { values.count }
    var plainSize: Int { values.count * width }

    @inline(__always)
    static func hash(_ v: UInt64) -> Int {
        var h = v &* 0x9E37_79B9_7F4A_7C15
        h ^= h >> 31
        return Int(truncatingIfNeeded: h)
    }

    @inline(__always)
    mutating func index(of v: UInt64) -> UInt32 {
        var slot = Self.hash(v) & mask
        while true {
            let e = table[slot]
            if e == 0 { break }
            if values[Int(e - 1)] == v { return UInt32(e - 1) }
            slot = (slot + 1) & mask
        }
        let idx = values.count
        values.append(v)
        table[slot] = Int32(idx + 1)
        if values.count * 2 > mask { grow() }
        return UInt32(idx)
    }

    private mutating func grow() {
        let newSize = (mask + 1) * 2
        mask = newSize - 1
        table = Array(repeating: 0, count: newSize)
        for (idx, v) in values.enumerated() {
            var slot = Self.hash(v) & mask
            while table[slot] != 0 { slot = (slot + 1) & mask }
            table[slot] = Int32(idx + 1)
        }
    }

    func plainEncoded(into out: inout [UInt8]) {
        out.reserveCapacity(out.count + plainSize)
        for v in values {
            var le = v.littleEndian
            withUnsafeBytes(of: &le) { out.append(contentsOf: $0.prefix(width)) }
        }
    }
}
