/// Tunables of a `ParquetWriter`: codec, row group and page sizes, dictionary limits, identity.
public struct ParquetWriterOptions: Sendable, Hashable {
    public var compression: Compression = .snappy
    public var zstdLevel: Int32 = 3
    /// A row group is closed after this many rows...
    public var rowGroupRowLimit: Int = 1_048_576
    /// ...or once its columns hold about this many bytes in memory (encoded pages + open pages).
    public var rowGroupByteLimit: Int = 64 << 20
    /// Target uncompressed size of a data page.
    public var dataPageSize: Int = 1 << 20
    /// A column chunk falls back from RLE_DICTIONARY to PLAIN once its dictionary page would pass this.
    public var dictionaryPageSizeLimit: Int = 1 << 20
    public var dictionaryEnabled: Bool = true
    /// INT32/INT64 pages that are not dictionary-encoded may be DELTA_BINARY_PACKED where that is
    /// smaller (measured per column chunk).
    public var deltaBinaryPackedEnabled: Bool = true
    /// DELTA_BINARY_PACKED pages that need wider miniblocks are written PLAIN. 64 allows all;
    /// fastparquet (2026.9) decodes miniblocks of at most 28 bits correctly (its unpacker shifts
    /// bytes past the end of a 64-bit accumulator).
    public var deltaBinaryPackedMaxBitWidth: Int = 64
    /// FLOAT/DOUBLE pages that are not dictionary-encoded may be BYTE_STREAM_SPLIT where that
    /// compresses better (measured per column chunk; never without a codec). Off for readers that
    /// lack it (fastparquet).
    public var byteStreamSplitEnabled: Bool = true
    /// BYTE_ARRAY pages that are not dictionary-encoded may be DELTA_BYTE_ARRAY (each value as the
    /// prefix it shares with the value before and the rest) where that is smaller (measured per
    /// column chunk): unique ids that count up keep a byte or two a value.
    public var deltaByteArrayEnabled: Bool = true
    /// `created_by` in the footer, in the `NAME version X.Y.Z` form readers parse.
    public var createdBy: String = "datalake version 0.1.0"

    public init() {}
}
