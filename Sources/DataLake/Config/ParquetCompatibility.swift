/// `parquet.compatibility`: which readers every file must suit. `all` lets the writer pick any
/// encoding that pyarrow, DuckDB, pandas, polars and Spark read; `fastparquet` also keeps to what
/// fastparquet reads (no BYTE_STREAM_SPLIT).
package enum ParquetCompatibility: String, Sendable, CaseIterable {
    case all, fastparquet
}
