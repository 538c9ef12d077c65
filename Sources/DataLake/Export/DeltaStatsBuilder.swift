import DeltaLake
import KsqlDBClient
import Parquet

/// Delta per-file statistics from the footer our writer wrote: the row count, and for top-level
/// scalar columns the null count and exact bounds. Bounds are given only where they are exact and
/// compare the way Delta readers compare (integers, decimals, dates, timestamps, short strings);
/// doubles are left out because of NaN, nested columns because their stats nest.
enum DeltaStatsBuilder {
    /// Strings longer than this get no bounds (a truncated max would need care to stay a bound).
    static let maxStringBound = 64

    static func stats(fields: [KsqlField], footer: FileMetaData?, rows: Int, timestampsPerMillisecond: Int64) -> DeltaFileStats {
        var stats = DeltaFileStats(numRecords: Int64(rows))
        guard let footer else { return stats }
        let leaves = footer.leafColumns
        for field in fields {
            guard let leaf = leaves.firstIndex(where: { $0.path == [field.name] }) else { continue }
            let element = leaves[leaf].element
            var nulls: Int64 = 0
            var low: Bound?, high: Bound?
            var exact = true
            for group in footer.rowGroups where leaf < group.columns.count {
                guard let s = group.columns[leaf].statistics, let n = s.nullCount else { exact = false; continue }
                nulls += n
                guard let minBytes = s.minValue, let maxBytes = s.maxValue else {
                    if n < group.numRows { exact = false }
                    continue
                }
                guard let a = Bound(minBytes, field.type, element), let b = Bound(maxBytes, field.type, element) else { exact = false; continue }
                low = low.map { $0 < a ? $0 : a } ?? a
                high = high.map { $0 < b ? b : $0 } ?? b
            }
            stats.nullCount.append((field.name, .int(nulls)))
            if exact, let low, let high, let lo = low.json(field.type, element, timestampsPerMillisecond), let hi = high.json(field.type, element, timestampsPerMillisecond) {
                stats.minValues.append((field.name, lo))
                stats.maxValues.append((field.name, hi))
            }
        }
        return stats
    }

    /// A decoded bound, compared as Delta compares the column's type.
    enum Bound: Comparable {
        case int(Int128)
        case bytes([UInt8])

        init?(_ raw: [UInt8], _ type: KsqlType, _ element: SchemaElement) {
            func le(_ n: Int) -> UInt64 {
                var v: UInt64 = 0
                for i in 0..<min(n, raw.count) { v |= UInt64(raw[i]) << (8 * UInt64(i)) }
                return v
            }
            switch (type, element.type) {
            case (.integer, .int32?), (.date, .int32?), (.decimal, .int32?):
                guard raw.count == 4 else { return nil }
                self = .int(Int128(Int32(bitPattern: UInt32(truncatingIfNeeded: le(4)))))
            case (.bigint, .int64?), (.timestamp, .int64?), (.decimal, .int64?):
                guard raw.count == 8 else { return nil }
                self = .int(Int128(Int64(bitPattern: le(8))))
            case (.decimal, .fixedLenByteArray?), (.decimal, .byteArray?):
                guard !raw.isEmpty, raw.count <= 16 else { return nil }
                var v: Int128 = (raw[0] & 0x80) != 0 ? -1 : 0
                for b in raw { v = v << 8 | Int128(b) }
                self = .int(v)
            case (.string, .byteArray?):
                guard raw.count <= DeltaStatsBuilder.maxStringBound, String(validating: raw, as: UTF8.self) != nil else { return nil }
                self = .bytes(raw)
            default:
                return nil
            }
        }

        static func < (a: Bound, b: Bound) -> Bool {
            switch (a, b) {
            case let (.int(x), .int(y)): return x < y
            case let (.bytes(x), .bytes(y)): return x.lexicographicallyPrecedes(y)
            default: return false
            }
        }

        func json(_ type: KsqlType, _ element: SchemaElement, _ perMillisecond: Int64) -> DeltaJSON? {
            switch (self, type) {
            case let (.int(v), .integer), let (.int(v), .bigint): return .int(Int64(v))
            case let (.int(v), .date): return .string(CivilDate.isoDate(Int(v)))
            case let (.int(v), .timestamp):
                // Our values are whole milliseconds, so the millisecond text is exact.
                let ms = Int64(v) / perMillisecond
                let days = ms >= 0 ? ms / 86_400_000 : (ms - 86_399_999) / 86_400_000
                let t = ms - days * 86_400_000
                return .string(CivilDate.isoDate(Int(days)) + "T" + CivilDate.pad(Int(t / 3_600_000), 2) + ":" + CivilDate.pad(Int(t / 60_000 % 60), 2)
                               + ":" + CivilDate.pad(Int(t / 1000 % 60), 2) + "." + CivilDate.pad(Int(t % 1000), 3) + "Z")
            case let (.int(v), .decimal(_, scale)): return .number(Self.decimalText(v, scale: scale))
            case let (.bytes(b), .string): return .string(String(decoding: b, as: UTF8.self))
            default: return nil
            }
        }

        static func decimalText(_ v: Int128, scale: Int) -> String {
            let negative = v < 0
            var digits = String(negative ? -v : v)
            guard scale > 0 else { return (negative ? "-" : "") + digits }
            if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
            let point = digits.index(digits.endIndex, offsetBy: -scale)
            return (negative ? "-" : "") + digits[..<point] + "." + digits[point...]
        }
    }
}
