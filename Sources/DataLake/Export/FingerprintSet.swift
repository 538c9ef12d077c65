/// A set of 64-bit fingerprints that are already uniformly random (keyed SipHash): open addressing
/// with linear probing on the value itself, so an insert is a few instructions, not a second hash.
struct FingerprintSet {
    private var slots: [UInt64]
    private var mask: Int
    private(set) var count = 0
    /// 0 marks an empty slot, so the fingerprint 0 is kept apart.
    private var hasZero = false

    init(capacity: Int = 1 << 12) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [UInt64](repeating: 0, count: size)
        mask = size - 1
    }

    /// Adds `value`; false when it was there already.
    @inline(__always)
    mutating func insert(_ value: UInt64) -> Bool {
        if value == 0 {
            defer { hasZero = true }
            return !hasZero
        }
        if (count + 1) * 2 > slots.count { grow() }
        let mask = self.mask
        let added = slots.withUnsafeMutableBufferPointer { Self.place(value, in: $0, mask: mask) }
        if added { count += 1 }
        return added
    }

    /// Linear probing from the value's own bits; false when the value is there already.
    @inline(__always)
    private static func place(_ value: UInt64, in slots: UnsafeMutableBufferPointer<UInt64>, mask: Int) -> Bool {
        var i = Int(truncatingIfNeeded: value) & mask
        while true {
            let s = slots[i]
            if s == 0 {
                slots[i] = value
                return true
            }
            if s == value { return false }
            i = (i + 1) & mask
        }
    }

    /// Adds every value, calling `repeated` with the index of each one that was there already (or
    /// earlier in `values`). Made for a batch: room is made first, then one tight loop whose loads do
    /// not wait on each other, so the cache misses of a large set overlap.
    mutating func insert(_ values: UnsafeBufferPointer<UInt64>, repeated: (Int) -> Void) {
        while (count + values.count + 1) * 2 > slots.count { grow() }
        let mask = self.mask
        var added = 0
        var zero = hasZero
        slots.withUnsafeMutableBufferPointer { slots in
            for (n, value) in values.enumerated() {
                if value == 0 {
                    if zero { repeated(n) }
                    zero = true
                    continue
                }
                if Self.place(value, in: slots, mask: mask) { added += 1 } else { repeated(n) }
            }
        }
        count += added
        hasZero = zero
    }

    private mutating func grow() {
        let old = slots
        slots = [UInt64](repeating: 0, count: old.count * 2)
        mask = slots.count - 1
        count = 0
        for v in old where v != 0 { _ = insert(v) }
    }
}
