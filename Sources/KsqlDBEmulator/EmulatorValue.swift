/// A value in a stream or table row. Its SQL type comes from the column, so temporal values are
/// plain integers (DATE: epoch days, TIME: milliseconds of the day, TIMESTAMP: epoch milliseconds)
/// and DECIMAL keeps its exact unscaled integer.
package enum EmulatorValue: Sendable, Hashable {
    case null
    case boolean(Bool)
    case int(Int64)
    case double(Double)
    case decimal(unscaled: Int64, scale: Int8)
    case string(String)
    case bytes([UInt8])
    case array([EmulatorValue])
    case map([EmulatorMapEntry])
    case structure([EmulatorValue])

    package var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}

/// One key/value pair of a MAP value, in insertion order (ksqlDB keeps map order).
package struct EmulatorMapEntry: Sendable, Hashable {
    package var key: String
    package var value: EmulatorValue

    package init(_ key: String, _ value: EmulatorValue) {
        self.key = key
        self.value = value
    }
}

/// A stream or table row: its ROWTIME and its column values in schema order.
package struct EmulatorRow: Sendable, Hashable {
    package var rowtime: Int64
    package var values: [EmulatorValue]

    package init(rowtime: Int64, values: [EmulatorValue]) {
        self.rowtime = rowtime
        self.values = values
    }
}
