/// How the non-dictionary pages of a column chunk encode their values. Besides PLAIN there is one
/// candidate per type, as parquet-mr and arrow-rs pick them: DELTA_BINARY_PACKED for INT32/INT64
/// (event times, dates and ids that grow take a few bits a value), BYTE_STREAM_SPLIT for FLOAT/DOUBLE
/// (same size, but the codec finds the repeats in the sign/exponent bytes) and DELTA_BYTE_ARRAY for
/// BYTE_ARRAY (text that did not fit a dictionary: ids that share their prefixes keep only the
/// bytes that change, and no 4-byte length a value). Which one pays depends on the data and the
/// codec, so the chunk's first such page is written both ways and compressed, and the smaller
/// decides for the rest of the chunk. Once two chunks in a row chose the same one by a clear margin,
/// the next chunks take it without measuring, until every 16th measures again: the losing page's
/// compression was most of a flat convert's snappy time (56 MB compressed for 16 MB kept).
struct ValueEncodingChoice {
    /// The encoding measured against PLAIN; nil when the type has none or the options rule it out.
    let candidate: Encoding?
    let width: Int
    /// DELTA_BINARY_PACKED pages whose widest miniblock is wider than this are written PLAIN instead.
    let deltaMaxBitWidth: Int
    /// This chunk's choice; nil until its first non-dictionary page is measured.
    var chosen: Encoding?
    /// The encoding the last measurements chose by a clear margin, and how many in a row did.
    private var settled: Encoding?
    private var clearInARow = 0
    /// Chunks started since the last measurement.
    private var chunksSinceMeasured = 0
    /// Chunks that take a settled encoding between two measurements, the measured one included.
    static let remeasureEvery = 16

    init(descriptor: ColumnDescriptor, options: ParquetWriterOptions) {
        switch descriptor.physicalType {
        case .int32, .int64:
            candidate = options.deltaBinaryPackedEnabled ? .deltaBinaryPacked : nil
        case .float, .double:
            // Without a codec the split bytes are only the same bytes in another order.
            candidate = options.byteStreamSplitEnabled && options.compression != .uncompressed ? .byteStreamSplit : nil
        case .byteArray:
            candidate = options.deltaByteArrayEnabled ? .deltaByteArray : nil
        default:
            candidate = nil
        }
        width = descriptor.physicalType == .int32 || descriptor.physicalType == .float ? 4 : 8
        deltaMaxBitWidth = options.deltaBinaryPackedMaxBitWidth
    }

    /// The encoding of the next page: nil means "measure this page".
    var next: Encoding? { candidate == nil ? .plain : chosen }

    /// Records a measured page: `winner` took `winnerSize` bytes compressed, the other `loserSize`.
    /// A clear margin is a fifth smaller.
    mutating func measured(_ winner: Encoding, winnerSize: Int, loserSize: Int) {
        chosen = winner
        chunksSinceMeasured = 0
        guard winnerSize * 5 <= loserSize * 4 else {
            settled = nil
            clearInARow = 0
            return
        }
        if winner == settled {
            clearInARow += 1
        } else {
            settled = winner
            clearInARow = 1
        }
    }

    /// A new chunk: it measures again, unless the last two measurements settled on one encoding and
    /// fewer than `remeasureEvery` chunks have passed since the last.
    mutating func startChunk() {
        chunksSinceMeasured += 1
        chosen = clearInARow >= 2 && chunksSinceMeasured < Self.remeasureEvery ? settled : nil
    }

    /// Appends `plain` (PLAIN values of this column) encoded as `encoding` to `out`; returns the
    /// encoding written, PLAIN when the deltas need wider miniblocks than allowed.
    func encode(_ plain: [UInt8], as encoding: Encoding, into out: inout [UInt8]) -> Encoding {
        switch encoding {
        case .deltaBinaryPacked:
            let start = out.count
            let widest = plain.withUnsafeBytes { DeltaBinaryPackedEncoder.encode(plain: $0, width: width, into: &out) }
            guard widest > deltaMaxBitWidth else { return .deltaBinaryPacked }
            out.removeSubrange(start...)
        case .byteStreamSplit:
            plain.withUnsafeBytes { ByteStreamSplitEncoder.encode(plain: $0, width: width, into: &out) }
            return .byteStreamSplit
        case .deltaByteArray:
            plain.withUnsafeBytes { DeltaByteArrayEncoder.encode(plain: $0, into: &out) }
            return .deltaByteArray
        default:
            break
        }
        out.append(contentsOf: plain)
        return .plain
    }

    /// Whether DELTA_BINARY_PACKED beats a dictionary already on a sample of `count` values of which
    /// `distinct` differ. Only for nearly all-distinct samples (timestamps, amounts in cents), whose
    /// dictionary would grow as large as the PLAIN values, and only when the deltas take at most 16
    /// bits a value: nearly all distinct in 1024 values can still be 5,000 values in all, whose
    /// dictionary indices take 13 bits over a large chunk.
    func deltaBeatsDictionary(plainSample: [UInt8], count: Int, distinct: Int) -> Bool {
        guard candidate == .deltaBinaryPacked, count > 0, distinct * 10 >= count * 9 else { return false }
        let size = plainSample.withUnsafeBytes { DeltaBinaryPackedEncoder.encodedSize(plain: $0, width: width, count: count) }
        return size <= count * 2
    }
}
