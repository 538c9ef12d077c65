/// Page bodies: levels, booleans, compression, and the measured choice of a value encoding.
extension ColumnWriter {
    func appendLevels(_ levels: UnsafeBufferPointer<UInt8>, max: Int) {
        let lengthAt = scratch.count
        scratch.append(contentsOf: [0, 0, 0, 0])
        RLEHybridEncoder.encode(levels, bitWidth: RLEHybridEncoder.bitWidth(forMax: max), into: &scratch)
        let len = UInt32(scratch.count - lengthAt - 4)
        for i in 0..<4 { scratch[lengthAt + i] = UInt8(truncatingIfNeeded: len >> (8 * UInt32(i))) }
    }

    func packBooleans() {
        var acc: UInt8 = 0
        var bit: UInt8 = 0
        for v in plain {
            acc |= v << bit
            bit += 1
            if bit == 8 {
                scratch.append(acc)
                acc = 0
                bit = 0
            }
        }
        if bit > 0 { scratch.append(acc) }
    }

    /// Compresses `body` into `out` and returns the compressed length (for UNCOMPRESSED: the body's
    /// length, and `out` is not touched).
    func compress(_ body: [UInt8], into out: inout [UInt8]) -> Int {
        if options.compression == .uncompressed { return body.count }
        // Compression into a sized buffer cannot fail for snappy/zstd short of memory exhaustion.
        let count = (try? compressor.compress(body, into: &out)) ?? -1
        precondition(count >= 0, "page compression failed")
        return count
    }

    /// Appends the page header and the body, compressed into `compressed` already, to `out`.
    func appendPage(_ kind: PageHeader.Kind, body: [UInt8], compressedCount: Int, into out: inout [UInt8]) {
        let header = PageHeader(kind: kind, uncompressedSize: Int32(body.count), compressedSize: Int32(compressedCount)).serialized()
        pagesUncompressed += header.count + body.count
        out.append(contentsOf: header)
        if options.compression == .uncompressed {
            out.append(contentsOf: body)
        } else {
            compressed.withUnsafeBufferPointer { out.append(contentsOf: UnsafeBufferPointer(rebasing: $0[0..<compressedCount])) }
        }
    }

    /// The first non-dictionary page of a chunk, written both ways: PLAIN and the candidate encoding,
    /// each compressed. The smaller is left in `scratch` and `compressed` and decides the chunk.
    func measurePage() -> (Encoding, Int) {
        scratchCandidate.removeAll(keepingCapacity: true)
        scratchCandidate.append(contentsOf: scratch)  // the levels
        let candidate = valueEncoding.encode(plain, as: valueEncoding.candidate!, into: &scratchCandidate)
        scratch.append(contentsOf: plain)
        let plainSize = compress(scratch, into: &compressed)
        // A delta page too wide for the options came back PLAIN: measure again on the next page.
        if candidate == .plain { return (.plain, plainSize) }
        let candidateSize = compress(scratchCandidate, into: &compressedCandidate)
        guard candidateSize < plainSize else {
            valueEncoding.measured(.plain, winnerSize: plainSize, loserSize: candidateSize)
            return (.plain, plainSize)
        }
        swap(&scratch, &scratchCandidate)
        swap(&compressed, &compressedCandidate)
        valueEncoding.measured(candidate, winnerSize: candidateSize, loserSize: plainSize)
        return (candidate, candidateSize)
    }
}
