/// The BYTE_STREAM_SPLIT encoding (Encodings.md): byte k of every value goes to stream k, the streams
/// one after the other. The size does not change, but the sign, exponent and high mantissa bytes of
/// doubles that share a range end up side by side, where the page's codec finds repeats.
enum ByteStreamSplitEncoder {
    /// Appends the encoding of the PLAIN values in `plain` (`width` bytes each) to `out`.
    static func encode(plain: UnsafeRawBufferPointer, width: Int, into out: inout [UInt8]) {
        let count = plain.count / width
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: count * width))
        guard count > 0 else { return }
        out.withUnsafeMutableBytes { raw in
            let dst = raw.baseAddress!.advanced(by: start).assumingMemoryBound(to: UInt8.self)
            let src = plain.baseAddress!.assumingMemoryBound(to: UInt8.self)
            // One stream at a time: the writes are sequential, the reads strided by `width`.
            for k in 0..<width {
                let stream = dst + k * count
                var s = src + k
                for i in 0..<count {
                    stream[i] = s.pointee
                    s += width
                }
            }
        }
    }
}
