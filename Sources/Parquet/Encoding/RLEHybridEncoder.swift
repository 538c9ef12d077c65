/// The RLE/bit-packing hybrid encoding (Encodings.md) used for definition/repetition levels and
/// dictionary indices: runs of 8+ equal values become RLE runs, the rest bit-packed groups of 8.
package enum RLEHybridEncoder {
    /// The bit width needed for values up to `maxValue`.
    package static func bitWidth(forMax maxValue: Int) -> Int {
        maxValue <= 0 ? 0 : (Int.bitWidth - maxValue.leadingZeroBitCount)
    }

    /// Appends the encoding of `values` (each < 2^bitWidth) to `out`, without any length prefix.
    @inlinable
    package static func encode<T: FixedWidthInteger & UnsignedInteger>(_ values: UnsafeBufferPointer<T>, bitWidth: Int,
                                                                     into out: inout [UInt8]) {
        let n = values.count
        if n == 0 { return }
        var i = 0
        var literalStart = 0
        while i < n {
            let v = values[i]
            var j = i + 1
            while j < n && values[j] == v { j += 1 }
            let run = j - i
            if run >= 8 {
                // A literal stretch may only end on a group of 8: borrow the run's first values to pad it.
                let pad = (8 - (i - literalStart) % 8) % 8
                if run - pad >= 8 {
                    if i + pad > literalStart {
                        writeBitPacked(values, from: literalStart, to: i + pad, bitWidth: bitWidth, into: &out)
                    }
                    writeRLE(UInt64(v), count: run - pad, bitWidth: bitWidth, into: &out)
                    literalStart = j
                }
            }
            i = j
        }
        if literalStart < n {
            writeBitPacked(values, from: literalStart, to: n, bitWidth: bitWidth, into: &out)
        }
    }

    @inlinable
    package static func encode<T: FixedWidthInteger & UnsignedInteger>(_ values: [T], bitWidth: Int, into out: inout [UInt8]) {
        values.withUnsafeBufferPointer { encode($0, bitWidth: bitWidth, into: &out) }
    }

    @usableFromInline
    static func writeVarint(_ value: UInt64, into out: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }

    @usableFromInline
    static func writeRLE(_ value: UInt64, count: Int, bitWidth: Int, into out: inout [UInt8]) {
        writeVarint(UInt64(count) << 1, into: &out)
        var v = value
        for _ in 0..<((bitWidth + 7) / 8) {
            out.append(UInt8(truncatingIfNeeded: v))
            v >>= 8
        }
    }

    /// Bit-packs values[from..<to] LSB first, padding the last group of 8 with zeros; bitWidth <= 32.
    /// The groups take exactly `groups * bitWidth` bytes: `out` grows once and the bytes are stored
    /// through a pointer (an `Array.append` per byte was most of the packing's time).
    @usableFromInline
    static func writeBitPacked<T: FixedWidthInteger & UnsignedInteger>(_ values: UnsafeBufferPointer<T>, from: Int, to: Int,
                                                                      bitWidth: Int, into out: inout [UInt8]) {
        let groups = (to - from + 7) / 8
        writeVarint(UInt64(groups) << 1 | 1, into: &out)
        if bitWidth == 0 { return }
        let first = out.count
        out.append(contentsOf: repeatElement(0, count: groups * bitWidth))
        out.withUnsafeMutableBufferPointer { buffer in
            let bytes = buffer.baseAddress! + first
            var p = 0
            var acc: UInt64 = 0
            var bits = 0
            for idx in from..<to {
                acc |= UInt64(values[idx]) << UInt64(bits)
                bits += bitWidth
                while bits >= 8 {
                    bytes[p] = UInt8(truncatingIfNeeded: acc)
                    p += 1
                    acc >>= 8
                    bits -= 8
                }
            }
            // The padding values are zeros: what is left of the accumulator, then the zeros `out` got.
            if bits > 0 { bytes[p] = UInt8(truncatingIfNeeded: acc) }
        }
    }
}
