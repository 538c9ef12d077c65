/// The legacy annotation older readers understand (parquet.thrift ConvertedType).
public enum ConvertedType: Int32, Sendable, Hashable {
    case utf8 = 0, map = 1, mapKeyValue = 2, list = 3, enumeration = 4, decimal = 5, date = 6
    case timeMillis = 7, timeMicros = 8, timestampMillis = 9, timestampMicros = 10
    case uint8 = 11, uint16 = 12, uint32 = 13, uint64 = 14, int8 = 15, int16 = 16, int32 = 17, int64 = 18
    case json = 19, bson = 20, interval = 21

    public var name: String {
        switch self {
        case .utf8: return "UTF8"
        case .map: return "MAP"
        case .mapKeyValue: return "MAP_KEY_VALUE"
        case .list: return "LIST"
        case .enumeration: return "ENUM"
        case .decimal: return "DECIMAL"
        case .date: return "DATE"
        case .timeMillis: return "TIME_MILLIS"
        case .timeMicros: return "TIME_MICROS"
        case .timestampMillis: return "TIMESTAMP_MILLIS"
        case .timestampMicros: return "TIMESTAMP_MICROS"
        case .uint8: return "UINT_8"
        case .uint16: return "UINT_16"
        case .uint32: return "UINT_32"
        case .uint64: return "UINT_64"
        case .int8: return "INT_8"
        case .int16: return "INT_16"
        case .int32: return "INT_32"
        case .int64: return "INT_64"
        case .json: return "JSON"
        case .bson: return "BSON"
        case .interval: return "INTERVAL"
        }
    }
}
