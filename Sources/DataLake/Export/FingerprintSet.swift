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
        var i = Int(truncatingIfNeeded: value) & mask
        while true {
            let s = slots[i]
            if s == 0 {
                slots[i] = value
                count += 1
                return true
            }
            if s == value { return false }
            i = (i + 1) & mask
        }
    }

    private mutating func grow() {
        let old = slots
        slots = [UInt64](repeating: 0, count: old.count * 2)
        mask = slots.count - 1
        count = 0
        for v in old where v != 0 { _ = insert(v) }
    }
}
