import KsqlDBClient
import Parquet

/// How TIMESTAMP values are stored: milliseconds (ksqlDB's precision), or microseconds, the unit of
/// Delta Lake's `timestamp` type, which Delta readers expect in the files.
package enum TimestampPrecision: Sendable {
    case millis, micros
}

/// The mapping of ksqlDB SQL types to Parquet schema nodes (notes parquet.md, "Types").
extension KsqlType {
    /// The Parquet node for a column or field of this type; every node is optional, as ksqlDB values
    /// may be null. Throws for the empty STRUCT, which Parquet cannot represent.
    package func parquetNode(name: String, timestamps: TimestampPrecision = .millis) throws(KsqlRowError) -> SchemaNode {
        switch self {
        case .boolean: return .primitive(name, .boolean)
        case .integer: return .primitive(name, .int32, logicalType: .integer(bits: 32, signed: true))
        case .bigint: return .primitive(name, .int64, logicalType: .integer(bits: 64, signed: true))
        case .double: return .primitive(name, .double)
        case let .decimal(p, s): return .decimal(name, precision: p, scale: s)
        case .string: return .primitive(name, .byteArray, logicalType: .string)
        case .bytes: return .primitive(name, .byteArray)
        case .date: return .primitive(name, .int32, logicalType: .date)
        // A ksqlDB TIME is a wall-clock time of day without zone; isAdjustedToUTC=true would make DuckDB
        // read it as TIME WITH TIME ZONE.
        case .time: return .primitive(name, .int32, logicalType: .timeMillis(utc: false))
        case .timestamp:
            return .primitive(name, .int64, logicalType: timestamps == .micros ? .timestampMicros(utc: true) : .timestampMillis(utc: true))
        case let .array(e): return .list(name, element: try e.parquetNode(name: "element", timestamps: timestamps))
        case let .map(k, v):
            return .map(name, key: try k.parquetNode(name: "key", timestamps: timestamps), value: try v.parquetNode(name: "value", timestamps: timestamps))
        case let .struct(fields):
            guard !fields.isEmpty else {
                throw KsqlRowError(line: 0, column: 0, columnName: name, message: "empty STRUCT< > cannot be stored in Parquet")
            }
            var children: [SchemaNode] = []
            for f in fields { children.append(try f.type.parquetNode(name: f.name, timestamps: timestamps)) }
            return .group(name, children)
        }
    }
}

extension KsqlField {
    /// The Parquet schema of a row of these columns.
    package static func parquetSchema(_ fields: [KsqlField], timestamps: TimestampPrecision = .millis) throws(KsqlRowError) -> ParquetSchema {
        var nodes: [SchemaNode] = []
        for f in fields { nodes.append(try f.type.parquetNode(name: f.name, timestamps: timestamps)) }
        return ParquetSchema(fields: nodes)
    }

    /// The columns in ksqlDB's schema spelling (`` `A` BIGINT, `B` STRING ``), kept in the file metadata.
    package static func schemaString(_ fields: [KsqlField]) -> String {
        fields.map { "`\($0.name.replacingOccurrences(of: "`", with: "``"))` \($0.type)" }.joined(separator: ", ")
    }
}
