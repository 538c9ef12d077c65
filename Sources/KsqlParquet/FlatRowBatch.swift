/// Parsed values of a batch of rows of a flat (all-scalar) schema, column by column: the hand-off
/// between the parsing thread and the encoding thread of `KsqlParquetWriter`, and what a
/// `KsqlParquetWriter.onFlatBatch` observer reads (typed values, no second scan of the JSON).
package final class FlatRowBatch: @unchecked Sendable {
    /// One column's values; nulls are only marked in `present`, so `ints`, `doubles`, `bools` and
    /// `ends` hold the non-null values only, in row order.
    package struct Column {
        package var present: [Bool] = []
        /// INTEGER, BIGINT, DATE, TIME, TIMESTAMP and DECIMAL up to 18 digits (unscaled).
        package var ints: [Int64] = []
        package var doubles: [Double] = []
        package var bools: [Bool] = []
        /// BYTE_ARRAY / FIXED_LEN_BYTE_ARRAY values (STRING as UTF-8, escapes decoded), back to
        /// back, with their end offsets.
        package var arena: [UInt8] = []
        package var ends: [Int] = []

        mutating func removeAll() {
            present.removeAll(keepingCapacity: true)
            ints.removeAll(keepingCapacity: true)
            doubles.removeAll(keepingCapacity: true)
            bools.removeAll(keepingCapacity: true)
            arena.removeAll(keepingCapacity: true)
            ends.removeAll(keepingCapacity: true)
        }
    }

    @exclusivity(unchecked) package var columns: [Column]
    package internal(set) var rowCount = 0
    /// Per row, the tag its `append(line:tag:)` gave (the exporter's row number in the query's
    /// answer); empty when rows came without one.
    @exclusivity(unchecked) package internal(set) var tags: [Int] = []

    init(columnCount: Int) {
        columns = Array(repeating: Column(), count: columnCount)
    }

    func reset() {
        for i in columns.indices { columns[i].removeAll() }
        tags.removeAll(keepingCapacity: true)
        rowCount = 0
    }
}
