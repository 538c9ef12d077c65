/// Parsed values of a batch of rows of a flat (all-scalar) schema, column by column: the hand-off
/// between the parsing thread and the encoding thread of `KsqlParquetWriter`.
final class FlatRowBatch: @unchecked Sendable {
    /// One column's values; nulls are only marked in `present`.
    struct Column {
        var present: [Bool] = []
        var ints: [Int64] = []
        var doubles: [Double] = []
        var bools: [Bool] = []
        /// BYTE_ARRAY / FIXED_LEN_BYTE_ARRAY values, back to back, with their end offsets.
        var arena: [UInt8] = []
        var ends: [Int] = []

        mutating func removeAll() {
            present.removeAll(keepingCapacity: true)
            ints.removeAll(keepingCapacity: true)
            doubles.removeAll(keepingCapacity: true)
            bools.removeAll(keepingCapacity: true)
            arena.removeAll(keepingCapacity: true)
            ends.removeAll(keepingCapacity: true)
        }
    }

    @exclusivity(unchecked) var columns: [Column]
    var rowCount = 0

    init(columnCount: Int) {
        columns = Array(repeating: Column(), count: columnCount)
    }

    func reset() {
        for i in columns.indices { columns[i].removeAll() }
        rowCount = 0
    }
}
