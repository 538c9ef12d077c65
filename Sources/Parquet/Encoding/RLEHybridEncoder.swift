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
        var literalStart = 0
        // Where the equal values ending at `i` began, updated without a branch (a dictionary index
        // of random rows equals its neighbour unpredictably, and the branch on it mispredicted), and
        // acted on only when a run reaches 8, the shortest that RLE takes.
        var runStart = 0
        var i = 1
        while i < n {
            runStart = values[i] == values[i - 1] ? runStart : i
            if i - runStart < 7 {
                i += 1
                continue
            }
            let v = values[i]
            var j = i + 1
            while j < n && values[j] == v { j += 1 }
            let run = j - runStart
            // A literal stretch may only end on a group of 8: borrow the run's first values to pad it.
            let pad = (8 - (runStart - literalStart) % 8) % 8
            if run - pad >= 8 {
                if runStart + pad > literalStart {
                    writeBitPacked(values, from: literalStart, to: runStart + pad, bitWidth: bitWidth, into: &out)
                }
                writeRLE(UInt64(v), count: run - pad, bitWidth: bitWidth, into: &out)
                literalStart = j
            }
            runStart = j
            i = j + 1
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
    /// through a pointer (an `Array.append` per byte was most of the packing's time), four at a time
    /// once 32 bits are in the accumulator (at most 31 left over plus a value of 32 fit in 64).
    @usableFromInline
    static func writeBitPacked<T: FixedWidthInteger & UnsignedInteger>(_ values: UnsafeBufferPointer<T>, from: Int, to: Int,
                                                                      bitWidth: Int, into out: inout [UInt8]) {
        let groups = (to - from + 7) / 8
        writeVarint(UInt64(groups) << 1 | 1, into: &out)
        if bitWidth == 0 { return }
        let first = out.count
        out.append(contentsOf: repeatElement(0, count: groups * bitWidth))
        out.withUnsafeMutableBufferPointer { buffer in
            let bytes = UnsafeMutableRawPointer(buffer.baseAddress! + first)
            var p = 0
            var acc: UInt64 = 0
            var bits = 0
            for idx in from..<to {
                acc |= UInt64(values[idx]) << UInt64(bits)
                bits += bitWidth
                if bits >= 32 {
                    // 32 bits of values: within the groups' bytes, which hold every value's bits.
                    bytes.storeBytes(of: UInt32(truncatingIfNeeded: acc).littleEndian, toByteOffset: p, as: UInt32.self)
                    p += 4
                    acc >>= 32
                    bits -= 32
                }
            }
            // The padding values are zeros: what is left of the accumulator, then the zeros `out` got.
            while bits > 0 {
                bytes.storeBytes(of: UInt8(truncatingIfNeeded: acc), toByteOffset: p, as: UInt8.self)
                p += 1
                acc >>= 8
                bits -= 8
            }
        }
    }
}
