/// A Parquet logical type annotation (parquet.thrift LogicalType), limited to what the writer emits
/// plus `other` for footers written by someone else.
public enum LogicalType: Sendable, Hashable {
    case string
    case map
    case list
    case decimal(precision: Int, scale: Int)
    case date
    /// Time of day in milliseconds.
    case timeMillis(utc: Bool)
    /// Milliseconds since the Unix epoch.
    case timestampMillis(utc: Bool)
    /// Microseconds since the Unix epoch (what Delta Lake's `timestamp` is).
    case timestampMicros(utc: Bool)
    case integer(bits: Int, signed: Bool)
    /// A logical type this library does not write, by its LogicalType union field id.
    case other(Int16)

    /// The legacy converted type written next to the logical type.
    public var convertedType: ConvertedType? {
        switch self {
        case .string: return .utf8
        case .map: return .map
        case .list: return .list
        case .decimal: return .decimal
        case .date: return .date
        case .timeMillis: return .timeMillis
        case .timestampMillis: return .timestampMillis
        case .timestampMicros: return .timestampMicros
        case let .integer(bits, signed):
            switch (bits, signed) {
            case (8, true): return .int8
            case (16, true): return .int16
            case (32, true): return .int32
            case (64, true): return .int64
            case (8, false): return .uint8
            case (16, false): return .uint16
            case (32, false): return .uint32
            case (64, false): return .uint64
            default: return nil
            }
        case .other: return nil
        }
    }

    public var description: String {
        switch self {
        case .string: return "STRING"
        case .map: return "MAP"
        case .list: return "LIST"
        case let .decimal(p, s): return "DECIMAL(\(p),\(s))"
        case .date: return "DATE"
        case let .timeMillis(utc): return "TIME(MILLIS,\(utc ? "UTC" : "local"))"
        case let .timestampMillis(utc): return "TIMESTAMP(MILLIS,\(utc ? "UTC" : "local"))"
        case let .timestampMicros(utc): return "TIMESTAMP(MICROS,\(utc ? "UTC" : "local"))"
        case let .integer(bits, signed): return "INTEGER(\(bits),\(signed ? "signed" : "unsigned"))"
        case let .other(id): return "LOGICAL(\(id))"
        }
    }
}
