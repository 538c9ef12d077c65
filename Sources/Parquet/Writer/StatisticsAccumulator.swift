/// Running min/max of a column chunk in the column's sort order (signed for integers and decimals,
/// numeric for doubles without NaN, unsigned bytewise for strings and binary).
struct StatisticsAccumulator {
    private let type: PhysicalType
    private let isDecimalBytes: Bool
    private var hasValue = false
    private var minInt = Int64.max, maxInt = Int64.min
    private var minDouble = Double.infinity, maxDouble = -Double.infinity
    private var sawFalse = false, sawTrue = false
    private var minBytes: [UInt8] = [], maxBytes: [UInt8] = []

    init(descriptor: ColumnDescriptor) {
        type = descriptor.physicalType
        if case .decimal = descriptor.logicalType, type == .fixedLenByteArray { isDecimalBytes = true } else { isDecimalBytes = false }
    }

    @inline(__always)
    mutating func update(_ v: Bool) {
        hasValue = true
        if v { sawTrue = true } else { sawFalse = true }
    }

    @inline(__always)
    mutating func update(_ v: Int64) {
        hasValue = true
        if v < minInt { minInt = v }
        if v > maxInt { maxInt = v }
    }

    @inline(__always)
    mutating func update(_ values: UnsafeBufferPointer<Int64>) {
        guard !values.isEmpty else { return }
        var lo = minInt, hi = maxInt
        for v in values {
            lo = Swift.min(lo, v)
            hi = Swift.max(hi, v)
        }
        hasValue = true
        minInt = lo
        maxInt = hi
    }

    @inline(__always)
    mutating func update(_ v: Double) {
        if v.isNaN { return }
        hasValue = true
        if v < minDouble || (v == 0 && minDouble == 0 && v.sign == .minus) { minDouble = v }
        if v > maxDouble || (v == 0 && maxDouble == 0 && v.sign == .plus) { maxDouble = v }
    }

    /// A dictionary entry given by its bit pattern.
    mutating func update(bitPattern v: UInt64) {
        switch type {
        case .int32: update(Int64(Int32(bitPattern: UInt32(truncatingIfNeeded: v))))
        case .int64: update(Int64(bitPattern: v))
        case .double: update(Double(bitPattern: v))
        default: break
        }
    }

    @inline(__always)
    mutating func update(_ p: UnsafeRawBufferPointer) {
        if !hasValue {
            hasValue = true
            minBytes = Array(p)
            maxBytes = Array(p)
            return
        }
        if compare(p, minBytes) < 0 { minBytes = Array(p) }
        if compare(p, maxBytes) > 0 { maxBytes = Array(p) }
    }

    private func compare(_ a: UnsafeRawBufferPointer, _ b: [UInt8]) -> Int {
        b.withUnsafeBytes { b in
            if isDecimalBytes {
                // Same length, big-endian two's complement: the first byte compares signed.
                if let x = a.first, let y = b.first, x != y { return Int(Int8(bitPattern: x)) < Int(Int8(bitPattern: y)) ? -1 : 1 }
            }
            let n = min(a.count, b.count)
            let c = n == 0 ? 0 : memcmpOrder(a.baseAddress!, b.baseAddress!, n)
            if c != 0 { return Int(c) }
            return a.count < b.count ? -1 : (a.count > b.count ? 1 : 0)
        }
    }

    func finish(nullCount: Int64) -> Statistics {
        var s = Statistics(nullCount: nullCount)
        guard hasValue else { return s }
        switch type {
        case .boolean:
            s.minValue = [sawFalse ? 0 : 1]
            s.maxValue = [sawTrue ? 1 : 0]
        case .int32:
            s.minValue = Self.le(UInt64(UInt32(bitPattern: Int32(minInt))), 4)
            s.maxValue = Self.le(UInt64(UInt32(bitPattern: Int32(maxInt))), 4)
        case .int64:
            s.minValue = Self.le(UInt64(bitPattern: minInt), 8)
            s.maxValue = Self.le(UInt64(bitPattern: maxInt), 8)
        case .double:
            let lo = minDouble == 0 ? -0.0 : minDouble
            let hi = maxDouble == 0 ? 0.0 : maxDouble
            s.minValue = Self.le(lo.bitPattern, 8)
            s.maxValue = Self.le(hi.bitPattern, 8)
        case .byteArray, .fixedLenByteArray:
            s.minValue = minBytes
            s.maxValue = maxBytes
        default:
            break
        }
        return s
    }

    private static func le(_ v: UInt64, _ n: Int) -> [UInt8] {
        (0..<n).map { UInt8(truncatingIfNeeded: v >> (8 * UInt64($0))) }
    }
}
