import Foundation
import KsqlDBClient

/// Evaluates a feed's checks on the row lines of one export or snapshot as they stream by, in
/// bounded memory: `unique` keeps an 8-byte keyed fingerprint per row, never the values.
final class QualityCheckRunner {
    /// How many failing row numbers an outcome names.
    static let examples = 5

    private struct Compiled {
        var check: QualityCheck
        var indexes: [Int]
        var accepted: Set<String> = []
        var failed = 0
        var firstRows: [Int] = []
        var seen: Set<UInt64> = []
    }

    private var compiled: [Compiled]
    private let readsColumns: Bool
    private let hasher = SipHash.random()
    private var scratch: [UInt8] = []
    private(set) var rows = 0

    /// Resolves each check's columns against the query's `fields`; a missing column, or a check
    /// that does not fit the column's type, is an error naming both.
    init(checks: [QualityCheck], fields: [KsqlField], feed: String) throws {
        compiled = try checks.map { check in
            var c = Compiled(check: check, indexes: [])
            for column in check.columns {
                guard let i = fields.firstIndex(where: { $0.name == column }) ?? fields.firstIndex(where: { $0.name.uppercased() == column.uppercased() }) else {
                    throw DataLakeError("\(feed): check \(check.name) names the column \(column), which the source does not have "
                                        + "(columns: \(fields.map(\.name).joined(separator: ", ")))")
                }
                let type = fields[i].type
                switch check.rule {
                case .range:
                    switch type {
                    case .integer, .bigint, .double, .decimal: break
                    default: throw DataLakeError("\(feed): check \(check.name) needs a number column; \(column) is \(type)")
                    }
                case .acceptedValues:
                    guard type == .string else { throw DataLakeError("\(feed): check \(check.name) needs a STRING column; \(column) is \(type)") }
                default: break
                }
                c.indexes.append(i)
            }
            if case let .acceptedValues(_, values) = check.rule { c.accepted = Set(values) }
            return c
        }
        readsColumns = compiled.contains { !$0.indexes.isEmpty }
    }

    /// Checks one row line; `row` is its number in the query's answer.
    func observe(_ line: UnsafeRawBufferPointer, row: Int) {
        rows += 1
        guard readsColumns else { return }
        let ranges = RowFields.elements(line)
        for k in compiled.indices {
            let c = compiled[k]
            guard !c.indexes.isEmpty else { continue }
            var ok = true
            switch c.check.rule {
            case .notNull:
                ok = c.indexes.allSatisfy { $0 < ranges.count && !Self.isNull(line, ranges[$0]) }
            case .unique:
                scratch.removeAll(keepingCapacity: true)
                for i in c.indexes where i < ranges.count {
                    scratch.append(contentsOf: UnsafeRawBufferPointer(rebasing: line[ranges[i]]))
                    scratch.append(0x1F)
                }
                let h = scratch.withUnsafeBytes { hasher.hash($0) }
                ok = compiled[k].seen.insert(h).inserted
            case .acceptedValues:
                if let i = c.indexes.first, i < ranges.count, !Self.isNull(line, ranges[i]) {
                    ok = Self.string(line, ranges[i]).map { c.accepted.contains($0) } ?? false
                }
            case let .range(_, min, max):
                if let i = c.indexes.first, i < ranges.count, !Self.isNull(line, ranges[i]) {
                    if let v = Double(String(decoding: UnsafeRawBufferPointer(rebasing: line[ranges[i]]), as: UTF8.self).trimmingCharacters(in: .whitespaces)) {
                        ok = (min.map { v >= $0 } ?? true) && (max.map { v <= $0 } ?? true)
                    } else {
                        ok = false
                    }
                }
            case .rowCount, .freshness:
                break
            }
            if !ok {
                compiled[k].failed += 1
                if compiled[k].firstRows.count < Self.examples { compiled[k].firstRows.append(row) }
            }
        }
    }

    /// Every check's outcome, given the feed's newest event time (epoch ms, this export included)
    /// and the time now.
    func outcomes(newestEvent: Int64?, now: Int64) -> [CheckOutcome] {
        compiled.map { c in
            var o = CheckOutcome(check: c.check, rowsChecked: rows, failed: c.failed, firstRows: c.firstRows)
            switch c.check.rule {
            case let .rowCount(min, max):
                if (min.map { rows < $0 } ?? false) || (max.map { rows > $0 } ?? false) {
                    o.failed = 1
                    o.found = "\(rows) row\(rows == 1 ? "" : "s")"
                }
            case let .freshness(minutes):
                let age = newestEvent.map { now - $0 }
                if age.map({ $0 > Int64(minutes) * 60_000 }) ?? true {
                    o.failed = 1
                    o.found = newestEvent.map { "newest event \(Clock.iso8601Millis($0)), \((now - $0) / 60_000) min ago" } ?? "no event at all"
                }
            default:
                break
            }
            return o
        }
    }

    static func isNull(_ line: UnsafeRawBufferPointer, _ r: Range<Int>) -> Bool {
        let t = UnsafeRawBufferPointer(rebasing: line[r])
        return t.count == 4 && t[0] == 0x6E && t[1] == 0x75 && t[2] == 0x6C && t[3] == 0x6C
    }

    /// The text of a JSON string element (escapes decoded), nil when it is not a string.
    static func string(_ line: UnsafeRawBufferPointer, _ r: Range<Int>) -> String? {
        let t = UnsafeRawBufferPointer(rebasing: line[r])
        guard t.count >= 2, t.first == 0x22, t.last == 0x22 else { return nil }
        if !t.contains(0x5C) { return String(decoding: UnsafeRawBufferPointer(rebasing: t[1..<(t.count - 1)]), as: UTF8.self) }
        return try? JSONDecoder().decode(String.self, from: Data(t))
    }
}
