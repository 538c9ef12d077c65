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
