import DeltaLake
import KsqlDBClient

extension KsqlType {
    /// The Delta type of a column of this ksqlDB type (PROTOCOL.md, "Primitive Types"), nil for
    /// TIME, which Delta has no type for.
    var deltaType: DeltaType? {
        switch self {
        case .boolean: return .primitive("boolean")
        case .integer: return .primitive("integer")
        case .bigint: return .primitive("long")
        case .double: return .primitive("double")
        case let .decimal(p, s): return .decimal(precision: p, scale: s)
        case .string: return .primitive("string")
        case .bytes: return .primitive("binary")
        case .date: return .primitive("date")
        case .time: return nil
        case .timestamp: return .primitive("timestamp")
        case let .array(e): return e.deltaType.map { .array(element: $0, containsNull: true) }
        case let .map(k, v):
            guard let key = k.deltaType, let value = v.deltaType else { return nil }
            return .map(key: key, value: value, valueContainsNull: true)
        case let .struct(fields):
            var out: [DeltaField] = []
            for f in fields {
                guard let t = f.type.deltaType else { return nil }
                out.append(DeltaField(f.name, t))
            }
            return .struct(out)
        }
    }

    var containsTime: Bool {
        switch self {
        case .time: return true
        case let .array(e): return e.containsTime
        case let .map(k, v): return k.containsTime || v.containsTime
        case let .struct(fields): return fields.contains { $0.type.containsTime }
        default: return false
        }
    }
}

extension FeedSpec {
    /// The Delta partition columns of the feed's layout.
    var deltaPartitionColumns: [String] { type == .stream ? ["year", "month", "day"] : ["version"] }

    /// The Delta schema of rows with `fields`: the columns, then the partition columns (which live in
    /// the directory names, not in the files).
    func deltaSchema(_ fields: [KsqlField]) throws -> [DeltaField] {
        var out: [DeltaField] = []
        for f in fields {
            guard let t = f.type.deltaType else {
                throw DataLakeError("\(type.rawValue) \(name): column \(f.name) is \(f.type), which Delta Lake has no type for; "
                                    + "set table_format: hive for this feed")
            }
            out.append(DeltaField(f.name, t))
        }
        let partitions: [DeltaField] = type == .stream
            ? [DeltaField("year", .primitive("integer")), DeltaField("month", .primitive("integer")), DeltaField("day", .primitive("integer"))]
            : [DeltaField("version", .primitive("string"))]
        for p in partitions where fields.contains(where: { $0.name.lowercased() == p.name }) {
            throw DataLakeError("\(type.rawValue) \(name): column \(p.name.uppercased()) clashes with the partition column \(p.name) (Delta column names ignore case)")
        }
        return out + partitions
    }

    /// The partition values of a file at `relative` (`year=2025/month=01/day=13/x.parquet` →
    /// year 2025, month 1, day 13; `version=v3/x.parquet` → version v3), as the log writes them.
    func deltaPartitionValues(of relative: String) -> [(String, String)] {
        let parts = relative.split(separator: "/").dropLast()
        return deltaPartitionColumns.compactMap { column in
            guard let part = parts.first(where: { $0.hasPrefix(column + "=") }) else { return nil }
            let value = String(part.dropFirst(column.count + 1))
            return (column, type == .stream ? (Int(value).map(String.init) ?? value) : value)
        }
    }
}
