/// A stream or table row: its ROWTIME and its column values in schema order.
package struct EmulatorRow: Sendable, Hashable {
    package var rowtime: Int64
    package var values: [EmulatorValue]

    package init(rowtime: Int64, values: [EmulatorValue]) {
        self.rowtime = rowtime
        self.values = values
    }
}
