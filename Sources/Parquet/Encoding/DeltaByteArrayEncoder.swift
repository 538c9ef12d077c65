/// The DELTA_BYTE_ARRAY encoding (Encodings.md, "Delta Strings") of BYTE_ARRAY pages: each value as
/// the length of the prefix it shares with the value before it, and the rest (its suffix). The prefix
/// lengths come first, DELTA_BINARY_PACKED; then the suffixes as DELTA_LENGTH_BYTE_ARRAY: their
/// lengths, DELTA_BINARY_PACKED, and their bytes back to back. Unique ids that count up
/// (`tx-000000001`, `tx-000000002`, …) keep a byte or two a value where PLAIN takes 4 + 12.
enum DeltaByteArrayEncoder {
    /// Appends the encoding of the PLAIN BYTE_ARRAY values in `plain` (each a 4-byte little-endian
    /// length, then its bytes) to `out`.
    static func encode(plain: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        // Every PLAIN value takes at least its 4 length bytes: a bound on the count.
        var prefixLengths: [Int32] = []
        var suffixLengths: [Int32] = []
        prefixLengths.reserveCapacity(plain.count / 4)
        suffixLengths.reserveCapacity(plain.count / 4)
        var suffixes: [UInt8] = []
        suffixes.reserveCapacity(plain.count)
        var previous = UnsafeRawBufferPointer(start: nil, count: 0)
        var at = 0
        while at + 4 <= plain.count {
            let length = Int(UInt32(littleEndian: plain.loadUnaligned(fromByteOffset: at, as: UInt32.self)))
            let value = UnsafeRawBufferPointer(rebasing: plain[(at + 4)..<(at + 4 + length)])
            let shared = sharedPrefix(previous, value)
            prefixLengths.append(Int32(shared))
            suffixLengths.append(Int32(length - shared))
            suffixes.append(contentsOf: UnsafeRawBufferPointer(rebasing: value[shared...]))
            previous = value
            at += 4 + length
        }
        // Lengths are never negative and fit INT32: 4-byte deltas, no miniblock wider than 32 bits.
        prefixLengths.withUnsafeBytes { _ = DeltaBinaryPackedEncoder.encode(plain: $0, width: 4, into: &out) }
        suffixLengths.withUnsafeBytes { _ = DeltaBinaryPackedEncoder.encode(plain: $0, width: 4, into: &out) }
        out.append(contentsOf: suffixes)
    }

    /// How many leading bytes `a` and `b` have in common, compared 8 bytes at a time.
    @inline(__always)
    static func sharedPrefix(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        let limit = min(a.count, b.count)
        var n = 0
        while n + 8 <= limit {
            let x = UInt64(littleEndian: a.loadUnaligned(fromByteOffset: n, as: UInt64.self))
                ^ UInt64(littleEndian: b.loadUnaligned(fromByteOffset: n, as: UInt64.self))
            // The lowest differing bit sits in the first differing byte (little-endian load).
            if x != 0 { return n + x.trailingZeroBitCount / 8 }
            n += 8
        }
        while n < limit && a[n] == b[n] { n += 1 }
        return n
    }
}
