/// Parsed values of a batch of rows of a flat (all-scalar) schema, column by column: the hand-off
/// between the parsing thread and the encoding thread of `KsqlParquetWriter`, and what a
/// `KsqlParquetWriter.onFlatBatch` observer reads (typed values, no second scan of the JSON).
package final class FlatRowBatch: @unchecked Sendable {
    /// One column's values; nulls are only marked in `present`, so `ints`, `doubles`, `bools` and
    /// `ends` hold the non-null values only, in row order.
    package struct Column {
        package internal(set) var present = ColumnBuffer<Bool>()
        /// INTEGER, BIGINT, DATE, TIME, TIMESTAMP and DECIMAL up to 18 digits (unscaled).
        package internal(set) var ints = ColumnBuffer<Int64>()
        package internal(set) var doubles = ColumnBuffer<Double>()
        package internal(set) var bools = ColumnBuffer<Bool>()
        /// BYTE_ARRAY / FIXED_LEN_BYTE_ARRAY values (STRING as UTF-8, escapes decoded), back to
        /// back, with their end offsets.
        package internal(set) var arena = ColumnBuffer<UInt8>()
        package internal(set) var ends = ColumnBuffer<Int>()

        mutating func removeAll() {
            present.removeAll()
            ints.removeAll()
            doubles.removeAll()
            bools.removeAll()
            arena.removeAll()
            ends.removeAll()
        }

        mutating func deallocate() {
            present.deallocate()
            ints.deallocate()
            doubles.deallocate()
            bools.deallocate()
            arena.deallocate()
            ends.deallocate()
        }
    }

    @exclusivity(unchecked) package var columns: [Column]
    @exclusivity(unchecked) package internal(set) var rowCount = 0
    /// Per row, the tag its `append(line:tag:)` gave (the exporter's row number in the query's
    /// answer); empty when rows came without one.
    @exclusivity(unchecked) package internal(set) var tags = ColumnBuffer<Int>()

    /// Rows every column's `present` has room for (they grow together): checked once a row, so that
    /// the parser stores a row's flags by its number (one store each, not an append that reads and
    /// writes the count).
    var presentCapacity: Int { columns.first?.present.capacity ?? 0 }

    init(columnCount: Int) {
        columns = Array(repeating: Column(), count: columnCount)
    }

    /// Gives every column's `present` room for `rows` rows (each grows the same way, so they stay
    /// equal).
    func reservePresent(_ rows: Int) {
        for i in columns.indices { columns[i].present.reserveCapacity(rows) }
    }

    deinit {
        for i in columns.indices { columns[i].deallocate() }
        tags.deallocate()
    }

    func reset() {
        for i in columns.indices { columns[i].removeAll() }
        tags.removeAll()
        rowCount = 0
    }
}
