import Parquet

/// `parquet.compatibility`: which readers every file must suit. `all` lets the writer pick any
/// encoding that pyarrow, DuckDB, pandas, polars and Spark read; `fastparquet` also keeps to what
/// fastparquet reads (no BYTE_STREAM_SPLIT or DELTA_BYTE_ARRAY, no miniblocks wider than 28 bits).
package enum ParquetCompatibility: String, Sendable, CaseIterable {
    case all, fastparquet
}

extension ParquetCompatibility {
    /// Keeps `options` to what these readers read (the one place the restrictions are spelled out, for
    /// exports and `convert` alike).
    package func restrict(_ options: inout ParquetWriterOptions) {
        switch self {
        case .all:
            break
        case .fastparquet:
            options.byteStreamSplitEnabled = false
            options.deltaByteArrayEnabled = false
            options.deltaBinaryPackedMaxBitWidth = 28
        }
    }
}
