/// The DELTA_BINARY_PACKED encoding (Encodings.md) of INT32 and INT64 pages: blocks of 128 values in
/// 4 miniblocks of 32, each block's deltas less its smallest delta, bit-packed at each miniblock's own
/// width. Values that grow by small steps (event times, ids) take a few bits each instead of 4 or 8
/// bytes.
///
/// Deltas are taken in the values' own width with wrapping arithmetic, as the spec asks: INT64 deltas
/// across Int64.min and Int64.max overflow, wrap, and readers wrap them back; no miniblock is wider
/// than the physical type.
enum DeltaBinaryPackedEncoder {
    static let blockSize = 128
    static let miniblockCount = 4
    static let miniblockSize = blockSize / miniblockCount

    /// Appends the encoding of the PLAIN little-endian values in `plain` (`width` bytes each: 4 for
    /// INT32, 8 for INT64) to `out`; returns the widest miniblock's bit width.
    @discardableResult
    static func encode(plain: UnsafeRawBufferPointer, width: Int, into out: inout [UInt8]) -> Int {
        width == 4 ? encode(plain, as: Int32.self, into: &out) : encode(plain, as: Int64.self, into: &out)
    }

    /// The encoded size of the first `count` values of `plain`, for choosing an encoding on a sample.
    static func encodedSize(plain: UnsafeRawBufferPointer, width: Int, count: Int) -> Int {
        var out: [UInt8] = []
        encode(plain: UnsafeRawBufferPointer(rebasing: plain[0..<min(plain.count, count * width)]), width: width, into: &out)
        return out.count
    }

    /// The most bytes `encode` appends for `count` values of `width` bytes: the header, and per block
    /// the min delta, the bit widths and the miniblocks at the type's full width.
    static func maxEncodedSize(count: Int, width: Int) -> Int {
        let blocks = (count + blockSize - 1) / blockSize
        return 4 * 10 + blocks * (10 + miniblockCount + blockSize * width)
    }

    private static func encode<T: FixedWidthInteger & SignedInteger>(_ plain: UnsafeRawBufferPointer, as _: T.Type,
                                                                    into out: inout [UInt8]) -> Int {
        let width = MemoryLayout<T>.size
        let count = plain.count / width
        let start = out.count
        var widest = 0
        out.append(contentsOf: repeatElement(0, count: maxEncodedSize(count: count, width: width)))
        let written = out.withUnsafeMutableBytes { raw -> Int in
            var p = raw.baseAddress!.advanced(by: start).assumingMemoryBound(to: UInt8.self)
            let begin = p
            p = writeULEB(UInt64(blockSize), at: p)
            p = writeULEB(UInt64(miniblockCount), at: p)
            p = writeULEB(UInt64(count), at: p)
            // An all-null page still has a complete header; its first value is 0.
            if count == 0 { return writeULEB(0, at: p) - begin }
            var previous = plain.loadUnaligned(fromByteOffset: 0, as: T.self)
            p = writeULEB(zigzag(Int64(previous)), at: p)
            withUnsafeTemporaryAllocation(of: UInt64.self, capacity: blockSize) { relative in
                var i = 1
                while i < count {
                    let n = min(blockSize, count - i)
                    // Deltas in T's width (wrapping), then their minimum: the block's frame of reference.
                    var minDelta = T.max
                    for k in 0..<n {
                        let v = plain.loadUnaligned(fromByteOffset: (i + k) * width, as: T.self)
                        let d = v &- previous
                        previous = v
                        relative[k] = UInt64(truncatingIfNeeded: T.Magnitude(truncatingIfNeeded: d))
                        if d < minDelta { minDelta = d }
                    }
                    // d - min in T's width is the exact non-negative difference: it fits T's bits.
                    let minBits = UInt64(truncatingIfNeeded: T.Magnitude(truncatingIfNeeded: minDelta))
                    let mask: UInt64 = width == 8 ? .max : (1 << (8 * UInt64(width))) - 1
                    for k in 0..<n { relative[k] = (relative[k] &- minBits) & mask }
                    p = writeULEB(zigzag(Int64(minDelta)), at: p)
                    let widths = p
                    p += miniblockCount
                    for m in 0..<miniblockCount {
                        let lo = m * miniblockSize
                        guard lo < n else { widths[m] = 0; continue }
                        let hi = min(n, lo + miniblockSize)
                        var any: UInt64 = 0
                        for k in lo..<hi { any |= relative[k] }
                        let bits = UInt64.bitWidth - any.leadingZeroBitCount
                        widths[m] = UInt8(bits)
                        widest = max(widest, bits)
                        // The last miniblock is padded with zeros to a full one.
                        for k in hi..<(lo + miniblockSize) { relative[k] = 0 }
                        p = pack32(relative.baseAddress! + lo, bits: bits, at: p)
                    }
                    i += n
                }
            }
            return p - begin
        }
        out.removeLast(out.count - start - written)
        return widest
    }

    /// Bit-packs 32 values of `bits` bits, least significant bit first, into `bits * 4` bytes.
    @inline(__always)
    private static func pack32(_ values: UnsafeMutablePointer<UInt64>, bits: Int, at p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        if bits == 0 { return p }
        var q = UnsafeMutableRawPointer(p)
        var acc: UInt64 = 0
        var filled = 0
        for k in 0..<miniblockSize {
            let v = values[k]
            acc |= v &<< UInt64(filled)
            filled += bits
            if filled >= 64 {
                q.storeBytes(of: acc.littleEndian, as: UInt64.self)
                q += 8
                filled -= 64
                // The bits of v that did not fit in the word just stored.
                acc = filled == 0 ? 0 : v &>> UInt64(bits - filled)
            }
        }
        // 32 × bits is a multiple of 32: at most half a word is left.
        if filled > 0 {
            q.storeBytes(of: UInt32(truncatingIfNeeded: acc).littleEndian, as: UInt32.self)
            q += 4
        }
        return q.assumingMemoryBound(to: UInt8.self)
    }

    @inline(__always)
    static func zigzag(_ v: Int64) -> UInt64 {
        UInt64(bitPattern: (v &<< 1) ^ (v >> 63))
    }

    @inline(__always)
    private static func writeULEB(_ value: UInt64, at p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        var v = value
        var q = p
        while v >= 0x80 {
            q.pointee = UInt8(truncatingIfNeeded: v) | 0x80
            q += 1
            v >>= 7
        }
        q.pointee = UInt8(v)
        return q + 1
    }
}
