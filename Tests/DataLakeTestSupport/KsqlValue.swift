import KsqlDBClient
import KsqlParquet

/// One decoded ksqlDB value, typed by its column: the slow, allocating path for tests and inspection
/// (exports go straight from bytes to Parquet columns).
package indirect enum KsqlValue: Hashable, Sendable {
    case null
    case boolean(Bool)
    case integer(Int32)
    case bigint(Int64)
    case double(Double)
    /// Unscaled value and scale: `decimal(12345, 2)` is 123.45.
    case decimal(Int128, scale: Int)
    case string(String)
    case bytes([UInt8])
    /// Days since 1970-01-01.
    case date(Int32)
    /// Milliseconds since midnight.
    case time(Int32)
    /// Milliseconds since the Unix epoch, UTC.
    case timestamp(Int64)
    case array([KsqlValue])
    /// Entries in their order on the wire.
    case map([KsqlMapEntry])
    /// Field values in the STRUCT type's field order.
    case `struct`([KsqlValue])
}

/// One key/value pair of a ksqlDB MAP value.
package struct KsqlMapEntry: Hashable, Sendable {
    package var key: KsqlValue
    package var value: KsqlValue

    package init(key: KsqlValue, value: KsqlValue) {
        self.key = key
        self.value = value
    }
}
