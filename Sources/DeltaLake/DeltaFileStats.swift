/// Per-file statistics of an `add` (PROTOCOL.md, "Per-file Statistics"): readers skip files by
/// them, so a bound given must be a true bound; a column left out is simply not skipped on.
package struct DeltaFileStats: Sendable, Equatable {
    package var numRecords: Int64
    /// Column name (top-level) → smallest and largest value, as JSON of the column's type.
    package var minValues: [(String, DeltaJSON)] = []
    package var maxValues: [(String, DeltaJSON)] = []
    package var nullCount: [(String, DeltaJSON)] = []

    package init(numRecords: Int64) { self.numRecords = numRecords }

    package static func == (a: DeltaFileStats, b: DeltaFileStats) -> Bool { a.json == b.json }

    package var json: DeltaJSON {
        var pairs: [(String, DeltaJSON)] = [("numRecords", .int(numRecords))]
        if !minValues.isEmpty { pairs.append(("minValues", .object(minValues))) }
        if !maxValues.isEmpty { pairs.append(("maxValues", .object(maxValues))) }
        if !nullCount.isEmpty { pairs.append(("nullCount", .object(nullCount))) }
        return .object(pairs)
    }
}
