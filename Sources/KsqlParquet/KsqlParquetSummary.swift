import Parquet

/// What writing one Parquet file of ksqlDB rows produced: rows, bytes and the footer (per-column
/// statistics per row group).
package struct KsqlParquetSummary: Sendable {
    package var rows: Int64
    package var bytes: Int64
    package var footer: FileMetaData

    /// Null count of each leaf column (dotted path) over all row groups.
    package var nullCounts: [String: Int64] {
        var out: [String: Int64] = [:]
        for g in footer.rowGroups {
            for c in g.columns { out[c.path.joined(separator: "."), default: 0] += c.statistics?.nullCount ?? 0 }
        }
        return out
    }
}
