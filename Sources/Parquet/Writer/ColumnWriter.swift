/// Buffers one leaf column of the current row group: levels and values of the open page, finished
/// (compressed) pages, the chunk's dictionary and statistics. Append calls take the repetition level;
/// value appends imply the maximum definition level, `appendNull` takes the level where the value stops.
///
/// Pages are cut only where a record starts (repetition level 0), so no record spans two pages.
public final class ColumnWriter {
    public let descriptor: ColumnDescriptor
    let options: ParquetWriterOptions
    let compressor: Compressor
    let maxDef: UInt8
    let hasDef: Bool
    let hasRep: Bool

    // Open page. The hot properties skip dynamic exclusivity checks: only this class's own methods
    // touch them, never re-entrantly, and the checks cost more than the appends themselves.
    @exclusivity(unchecked) var defLevels = PageBuffer<UInt8>()
    @exclusivity(unchecked) var repLevels = PageBuffer<UInt8>()
    @exclusivity(unchecked) var indices = PageBuffer<UInt32>()
    @exclusivity(unchecked) var plain: [UInt8] = []
    @exclusivity(unchecked) var levelCount = 0
    @exclusivity(unchecked) var valueCount = 0
    @exclusivity(unchecked) var nextPageCheck = 1024

    // Dictionary state for the chunk.
    enum Mode { case bytes, fixed, plain }
    @exclusivity(unchecked) var mode: Mode
    private let initialMode: Mode
    @exclusivity(unchecked) var byteDictionary: ByteArrayDictionary
    @exclusivity(unchecked) var fixedDictionary: FixedWidthDictionary
    @exclusivity(unchecked) var fallbackPending = false
    var usedDictionary = false
    /// A chunk of this file did not gain from its dictionary (see `dictionaryPaid`): the next ones
    /// start PLAIN, which also spares them a hash lookup per value.
    private var dictionaryRefused = false
    /// The first chunk's text values were sampled (see `sampleUniqueText`).
    private var textSampled = false
    /// Of the chunk's dictionary-encoded pages: the values' PLAIN size, and the indices' encoded size.
    @exclusivity(unchecked) var dictionaryRawBytes = 0
    private var dictionaryIndexBytes = 0
    var usedPlain = false
    /// How the chunk's non-dictionary pages encode values, and the candidate encoding they used (a
    /// chunk measures once, so at most one).
    var valueEncoding: ValueEncodingChoice
    private var usedCandidate: Encoding?
    /// Int columns are sampled once a chunk, on their first 1024 values (see `sampleNumbers`).
    private var numbersSampled = false

    // Finished pages of the chunk.
    var pages: [UInt8] = []
    var pagesUncompressed = 0
    var chunkLevelCount = 0
    var chunkValueCount = 0
    @exclusivity(unchecked) var statistics: StatisticsAccumulator

    var scratch: [UInt8] = []
    var compressed: [UInt8] = []
    /// The other encoding of a page being measured, and its compressed bytes.
    var scratchCandidate: [UInt8] = []
    var compressedCandidate: [UInt8] = []

    init(descriptor: ColumnDescriptor, options: ParquetWriterOptions) {
        self.descriptor = descriptor
        self.options = options
        self.compressor = Compressor(codec: options.compression, zstdLevel: options.zstdLevel)
        self.maxDef = UInt8(descriptor.maxDefinitionLevel)
        self.hasDef = descriptor.maxDefinitionLevel > 0
        self.hasRep = descriptor.maxRepetitionLevel > 0
        let fixedLength = descriptor.physicalType == .fixedLenByteArray ? Int(descriptor.typeLength ?? 0) : nil
        self.byteDictionary = ByteArrayDictionary(fixedLength: fixedLength)
        let width = descriptor.physicalType == .int32 ? 4 : 8
        self.fixedDictionary = FixedWidthDictionary(width: width)
        var m: Mode
        switch descriptor.physicalType {
        case .byteArray, .fixedLenByteArray: m = .bytes
        case .int32, .int64, .double, .float: m = .fixed
        default: m = .plain
        }
        if !options.dictionaryEnabled { m = .plain }
        self.mode = m
        self.initialMode = m
        self.statistics = StatisticsAccumulator(descriptor: descriptor)
        self.valueEncoding = ValueEncodingChoice(descriptor: descriptor, options: options)
    }

    deinit {
        defLevels.deallocate()
        repLevels.deallocate()
        indices.deallocate()
    }

    // MARK: appends

    @inline(__always)
    private func levels(def: UInt8, rep: Int) {
        if rep == 0 && (levelCount >= nextPageCheck || fallbackPending) { checkPage() }
        if hasDef { defLevels.append(def) }
        if hasRep { repLevels.append(UInt8(truncatingIfNeeded: rep)) }
        levelCount += 1
    }

    /// The levels of a present value, and its count.
    @inline(__always)
    private func valueLevels(rep: Int) {
        levels(def: maxDef, rep: rep)
        valueCount += 1
    }

    /// A missing value: null, or an empty/null list or map above it, at definition level `definitionLevel`.
    public func appendNull(definitionLevel: Int, repetitionLevel: Int = 0) {
        levels(def: UInt8(truncatingIfNeeded: definitionLevel), rep: repetitionLevel)
    }

    public func append(_ v: Bool, repetitionLevel: Int = 0) {
        valueLevels(rep: repetitionLevel)
        plain.append(v ? 1 : 0)
        statistics.update(v)
    }

    public func append(_ v: Int32, repetitionLevel: Int = 0) { valueLevels(rep: repetitionLevel); encode(v) }

    public func append(_ v: Int64, repetitionLevel: Int = 0) { valueLevels(rep: repetitionLevel); encode(v) }

    public func append(_ v: Double, repetitionLevel: Int = 0) { valueLevels(rep: repetitionLevel); encode(v) }

    /// A BYTE_ARRAY value, or a FIXED_LEN_BYTE_ARRAY value of exactly the declared length.
    public func append(bytes p: UnsafeRawBufferPointer, repetitionLevel: Int = 0) { valueLevels(rep: repetitionLevel); encode(bytes: p) }

    // The value itself, once its levels are in: a dictionary index, or PLAIN bytes and statistics.

    @inline(__always)
    func encode(_ v: Int32) { encodeInteger(UInt64(UInt32(bitPattern: v)), v.littleEndian, statistic: Int64(v)) }

    @inline(__always)
    func encode(_ v: Int64) { encodeInteger(UInt64(bitPattern: v), v.littleEndian, statistic: v) }

    @inline(__always)
    private func encodeInteger<T: FixedWidthInteger>(_ key: UInt64, _ littleEndian: T, statistic: Int64) {
        if mode == .fixed {
            indices.append(fixedDictionary.index(of: key))
            if fixedDictionary.plainSize > options.dictionaryPageSizeLimit { fallbackPending = true }
        } else {
            withUnsafeBytes(of: littleEndian) { plain.append(contentsOf: $0) }
            statistics.update(statistic)
        }
    }

    @inline(__always)
    func encode(_ v: Double) {
        if mode == .fixed {
            indices.append(fixedDictionary.index(of: v.bitPattern))
            if fixedDictionary.plainSize > options.dictionaryPageSizeLimit { fallbackPending = true }
        } else {
            withUnsafeBytes(of: v.bitPattern.littleEndian) { plain.append(contentsOf: $0) }
            statistics.update(v)
        }
    }

    @inline(__always)
    func encode(bytes p: UnsafeRawBufferPointer) {
        if mode == .bytes {
            indices.append(byteDictionary.index(of: p))
            dictionaryRawBytes &+= p.count
            if byteDictionary.plainSize > options.dictionaryPageSizeLimit { fallbackPending = true }
        } else {
            if descriptor.physicalType == .byteArray {
                withUnsafeBytes(of: UInt32(p.count).littleEndian) { plain.append(contentsOf: $0) }
            }
            plain.append(contentsOf: p)
            statistics.update(p)
        }
    }

    public func append(bytes: [UInt8], repetitionLevel: Int = 0) {
        bytes.withUnsafeBytes { append(bytes: $0, repetitionLevel: repetitionLevel) }
    }

    /// Bytes this column holds in memory for the open row group (pages, open page, dictionary).
    public var bufferedBytes: Int {
        pages.count + plain.count + indices.count * 4 + defLevels.count + repLevels.count
            + byteDictionary.plainSize + fixedDictionary.plainSize
    }

    // MARK: pages

    func checkPage() {
        if !textSampled && mode == .bytes && valueCount >= 1024 { sampleUniqueText() }
        if !numbersSampled && mode == .fixed && valueCount >= 1024 { sampleNumbers() }
        if fallbackPending {
            flushPage()
            fallbackPending = false
            mode = .plain
        } else if openPageEstimate >= options.dataPageSize {
            flushPage()
        }
        nextPageCheck = levelCount + 1024
    }

    private var openPageEstimate: Int {
        plain.count + indices.count * 2 + (defLevels.count + repLevels.count) / 8
    }

    /// Encodes, compresses and stores the open page.
    func flushPage() {
        if levelCount == 0 { return }
        scratch.removeAll(keepingCapacity: true)
        if hasRep { appendLevels(repLevels.values, max: descriptor.maxRepetitionLevel) }
        if hasDef { appendLevels(defLevels.values, max: descriptor.maxDefinitionLevel) }
        var encoding: Encoding
        var measuredSize: Int?
        if mode == .plain {
            encoding = .plain
            if descriptor.physicalType == .boolean {
                packBooleans()
            } else if let chosen = valueEncoding.next {
                encoding = valueEncoding.encode(plain, as: chosen, into: &scratch)
            } else {
                (encoding, measuredSize) = measurePage()
            }
            if encoding == .plain { usedPlain = true } else { usedCandidate = encoding }
        } else {
            usedDictionary = true
            encoding = .rleDictionary
            let dictCount = mode == .bytes ? byteDictionary.count : fixedDictionary.count
            let width = max(1, RLEHybridEncoder.bitWidth(forMax: dictCount - 1))
            scratch.append(UInt8(width))
            let before = scratch.count
            RLEHybridEncoder.encode(indices.values, bitWidth: width, into: &scratch)
            dictionaryIndexBytes += scratch.count - before + 1
            dictionaryRawBytes += initialMode == .bytes
                ? (descriptor.physicalType == .byteArray ? 4 * indices.count : 0)
                : indices.count * fixedDictionary.width
        }
        let kind = PageHeader.Kind.data(numValues: Int32(levelCount), encoding: encoding)
        appendPage(kind, body: scratch, compressedCount: measuredSize ?? compress(scratch, into: &compressed), into: &pages)
        chunkLevelCount += levelCount
        chunkValueCount += valueCount
        defLevels.removeAll()
        repLevels.removeAll()
        indices.removeAll()
        plain.removeAll(keepingCapacity: true)
        levelCount = 0
        valueCount = 0
    }

    /// Finishes the chunk: flushes the open page and builds the dictionary page. Returns the dictionary
    /// page bytes (empty when none) and the data pages; resets the writer for the next row group.
    func finishChunk() -> ChunkOutput {
        flushPage()
        var dictPage: [UInt8] = []
        if usedDictionary {
            scratch.removeAll(keepingCapacity: true)
            let count: Int
            if initialMode == .bytes {
                byteDictionary.plainEncoded(into: &scratch)
                count = byteDictionary.count
                byteDictionary.forEachValue { statistics.update($0) }
            } else {
                fixedDictionary.plainEncoded(into: &scratch)
                count = fixedDictionary.count
                for v in fixedDictionary.values { statistics.update(bitPattern: v) }
            }
            appendPage(.dictionary(numValues: Int32(count)), body: scratch, compressedCount: compress(scratch, into: &compressed), into: &dictPage)
            // Text columns were decided by their sample (see `sampleUniqueText`).
            if initialMode == .fixed && !usedPlain && !dictionaryPaid(dictionaryPageBytes: scratch.count) { dictionaryRefused = true }
        }
        var encodings: [Encoding] = []
        if usedDictionary { encodings.append(.rleDictionary) }
        if usedPlain || usedDictionary { encodings.append(.plain) }
        if let usedCandidate { encodings.append(usedCandidate) }
        if hasDef || hasRep { encodings.append(.rle) }
        let out = ChunkOutput(dictionaryPage: dictPage, dataPages: pages, uncompressedSize: pagesUncompressed,
                              numValues: chunkLevelCount, encodings: encodings,
                              statistics: statistics.finish(nullCount: Int64(chunkLevelCount - chunkValueCount)))
        reset()
        return out
    }

    /// Text columns whose first 1024 values are all distinct (ids, uuids) are written PLAIN in the
    /// whole file. They are decided this early, and for the whole file, because fastparquet misreads
    /// BYTE_ARRAY columns that are dictionary-encoded in one row group and PLAIN in another; the
    /// values still sit in the open page, so they are re-encoded and no dictionary page is written.
    private func sampleUniqueText() {
        textSampled = true
        guard !usedDictionary, byteDictionary.count == valueCount else { return }
        plain.removeAll(keepingCapacity: true)
        byteDictionary.forEachValue { statistics.update($0) }
        byteDictionary.appendPlain(indices.values, lengthPrefixed: descriptor.physicalType == .byteArray, to: &plain)
        indices.removeAll()
        byteDictionary.removeAll()
        dictionaryRawBytes = 0
        mode = .plain
        dictionaryRefused = true
    }

    /// Int columns whose first 1024 values of a chunk are nearly all distinct, where deltas take few
    /// bits (see `ValueEncodingChoice.deltaBeatsDictionary`), drop the dictionary at once and for the
    /// next chunks too: a timestamp's dictionary would otherwise grow to the page size limit first.
    private func sampleNumbers() {
        numbersSampled = true
        guard valueEncoding.candidate == .deltaBinaryPacked, !usedDictionary else { return }
        fixedDictionary.appendPlain(indices.values, to: &plain)
        guard valueEncoding.deltaBeatsDictionary(plainSample: plain, count: valueCount, distinct: fixedDictionary.count) else {
            plain.removeAll(keepingCapacity: true)
            return
        }
        for v in fixedDictionary.values { statistics.update(bitPattern: v) }
        indices.removeAll()
        fixedDictionary.removeAll()
        dictionaryRawBytes = 0
        mode = .plain
        dictionaryRefused = true
    }

    /// parquet-mr's rule, applied to a whole chunk of numbers: the dictionary paid if its page and the
    /// indices take less room than the PLAIN values would. High-cardinality columns (timestamps,
    /// amounts) fail it at the small row groups of exports, and later chunks start PLAIN, which spares
    /// them a hash lookup per value.
    private func dictionaryPaid(dictionaryPageBytes: Int) -> Bool {
        dictionaryPageBytes + dictionaryIndexBytes < dictionaryRawBytes
    }

    private func reset() {
        pages = []
        pagesUncompressed = 0
        chunkLevelCount = 0
        chunkValueCount = 0
        mode = dictionaryRefused ? .plain : initialMode
        textSampled = true
        usedDictionary = false
        dictionaryRawBytes = 0
        dictionaryIndexBytes = 0
        usedPlain = false
        usedCandidate = nil
        valueEncoding.startChunk()
        numbersSampled = false
        fallbackPending = false
        nextPageCheck = 1024
        byteDictionary.removeAll()
        fixedDictionary.removeAll()
        statistics = StatisticsAccumulator(descriptor: descriptor)
    }

    /// What a finished column chunk hands to the row group writer.
    struct ChunkOutput {
        var dictionaryPage: [UInt8]
        var dataPages: [UInt8]
        var uncompressedSize: Int
        var numValues: Int
        var encodings: [Encoding]
        var statistics: Statistics?
    }
}
