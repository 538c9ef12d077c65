/// A ksqlDB SQL type as the emulator models it: enough to print type strings and
/// DESCRIBE schemas exactly as ksqlDB does, and to render values of that type.
package indirect enum EmulatorType: Sendable, Equatable {
    case boolean
    case integer
    case bigint
    case double
    case string
    case bytes
    case date
    case time
    case timestamp
    case decimal(precision: Int, scale: Int)
    case array(EmulatorType)
    case map(key: EmulatorType, value: EmulatorType)
    case structure([EmulatorField])

    /// The type text ksqlDB prints in `columnTypes` and `/query` schemas
    /// (``STRUCT<`F1` STRING>``, `DECIMAL(4, 2)`, `MAP<STRING, INTEGER>`).
    package var typeString: String {
        switch self {
        case .decimal(let precision, let scale): return "DECIMAL(\(precision), \(scale))"
        case .array(let element): return "ARRAY<\(element.typeString)>"
        case .map(let key, let value): return "MAP<\(key.typeString), \(value.typeString)>"
        case .structure(let fields):
            if fields.isEmpty { return "STRUCT< >" }
            return "STRUCT<" + fields.map { "`\($0.name)` \($0.type.typeString)" }.joined(separator: ", ") + ">"
        default: return baseTypeName
        }
    }

    /// The `SqlBaseType` name used in DESCRIBE's `schema.type`.
    var baseTypeName: String {
        switch self {
        case .boolean: return "BOOLEAN"
        case .integer: return "INTEGER"
        case .bigint: return "BIGINT"
        case .double: return "DOUBLE"
        case .string: return "STRING"
        case .bytes: return "BYTES"
        case .date: return "DATE"
        case .time: return "TIME"
        case .timestamp: return "TIMESTAMP"
        case .decimal: return "DECIMAL"
        case .array: return "ARRAY"
        case .map: return "MAP"
        case .structure: return "STRUCT"
        }
    }
}
