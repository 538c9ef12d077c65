import Foundation
import KsqlDBClient

/// Evaluates a feed's checks on the row lines of one export or snapshot as they stream by, in
/// bounded memory: `unique` keeps an 8-byte keyed fingerprint per row, never the values.
final class QualityCheckRunner {
    /// How many failing row numbers an outcome names.
    static let examples = 5

    /// The rule without its payload, so the per-row switch copies nothing.
    enum Kind { case notNull, unique, acceptedValues, range, whole }

    /// Where a column's values are in a `FlatRowBatch`, for the typed path.
    enum Values { case ints(scale: Int), doubles, bools, bytes }

    struct Compiled {
        var check: QualityCheck
        var kind: Kind = .whole
        var indexes: [Int]
        var min = -Double.infinity, max = Double.infinity
        /// accepted_values: each value as its JSON token (`"card"`), by the token's hash.
        var accepted: [UInt64: [[UInt8]]] = [:]
        var acceptedText: Set<String> = []
        var failed = 0
        var firstRows: [Int] = []
        var seen = FingerprintSet()
        /// accepted_values: the tokens, for a direct comparison when the list is short.
        var tokens: [[UInt8]] = []
        /// accepted_values: the values' UTF-8 bytes (typed path), by their hash when the list is long.
        var raw: [[UInt8]] = []
        var rawByHash: [UInt64: [[UInt8]]] = [:]
        /// Per column of `indexes`, where the typed path finds its values.
        var values: [Values] = []
    }

    @exclusivity(unchecked) var compiled: [Compiled]
    private let readsColumns: Bool
    /// The highest column index a check reads: the row scan stops after it.
    private let lastIndex: Int
    let hasher: SipHash
    @exclusivity(unchecked) var scratch: [UInt8] = []
    /// unique on batches: the batch's fingerprints and their rows, hashed before any is looked up.
    @exclusivity(unchecked) var batchHashes: [UInt64] = []
    @exclusivity(unchecked) var batchRows: [Int] = []
    /// The byte ranges of the row's elements, reused from row to row.
    @exclusivity(unchecked) private var ranges: [Range<Int>] = []
    @exclusivity(unchecked) var rows = 0

    /// Resolves each check's columns against the query's `fields`; a missing column, or a check
    /// that does not fit the column's type, is an error naming both.
    init(checks: [QualityCheck], fields: [KsqlField], feed: String) throws {
        let hasher = SipHash.random()
        self.hasher = hasher
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
                c.values.append(Self.values(of: type))
            }
            switch check.rule {
            case .notNull: c.kind = .notNull
            case .unique: c.kind = .unique
            case .acceptedValues: c.kind = .acceptedValues
            case let .range(_, min, max):
                c.kind = .range
                c.min = min ?? -Double.infinity
                c.max = max ?? Double.infinity
            case .rowCount, .freshness: c.kind = .whole
            }
            if case let .acceptedValues(_, values) = check.rule {
                c.acceptedText = Set(values)
                for v in values {
                    var token: [UInt8] = []
                    var quoted = ""
                    Self.quote(v, into: &quoted)
                    token = Array(quoted.utf8)
                    let h = token.withUnsafeBytes { hasher.hash($0) }
                    c.accepted[h, default: []].append(token)
                    c.tokens.append(token)
                    let bytes = Array(v.utf8)
                    c.raw.append(bytes)
                    c.rawByHash[bytes.withUnsafeBytes { hasher.hash($0) }, default: []].append(bytes)
                }
            }
            return c
        }
        readsColumns = compiled.contains { !$0.indexes.isEmpty }
        lastIndex = compiled.flatMap(\.indexes).max() ?? -1
        ranges.reserveCapacity(lastIndex + 1)
    }

    /// Checks one row line; `row` is its number in the query's answer. Returns false when the row
    /// failed an error-severity check (their indexes are then in `failedByRow`).
    @discardableResult
    func observe(_ line: UnsafeRawBufferPointer, row: Int) -> Bool {
        rows += 1
        guard readsColumns else { return true }
        ranges.removeAll(keepingCapacity: true)
        let last = lastIndex
        RowFields.forEachElement(line) { r in
            ranges.append(r)
            return ranges.count <= last
        }
        var clean = true
        for k in compiled.indices where compiled[k].kind != .whole {
            if !passes(k, line) {
                if clean { failedByRow.removeAll(keepingCapacity: true) }
                if compiled[k].check.severity == .error {
                    clean = false
                    failedByRow.append(k)
                }
                compiled[k].failed += 1
                if compiled[k].firstRows.count < Self.examples { compiled[k].firstRows.append(row) }
            }
        }
        return clean
    }

    /// The error-severity checks the last row `observe` refused failed, by index.
    @exclusivity(unchecked) private(set) var failedByRow: [Int] = []

    /// The names of those checks, as a JSON array of strings (the `_failed_checks` value).
    func failedNamesJSON() -> [UInt8] {
        var text = "["
        for (n, k) in failedByRow.enumerated() {
            if n > 0 { text += "," }
            Self.quote(compiled[k].check.name, into: &text)
        }
        return Array((text + "]").utf8)
    }

    @inline(__always)
    private func passes(_ k: Int, _ line: UnsafeRawBufferPointer) -> Bool {
        switch compiled[k].kind {
        case .notNull:
            for i in compiled[k].indexes where i >= ranges.count || Self.isNull(line, ranges[i]) { return false }
            return true
        case .unique:
            // As SQL's UNIQUE and dbt's test: a row with a null in one of the columns is not compared.
            for i in compiled[k].indexes where i >= ranges.count || Self.isNull(line, ranges[i]) { return true }
            let h: UInt64
            if compiled[k].indexes.count == 1, let i = compiled[k].indexes.first, !line[ranges[i]].contains(0x5C) {
                h = hasher.hash(UnsafeRawBufferPointer(rebasing: line[ranges[i]]))
            } else {
                // Values, not renderings: a string with escapes counts as its text; each value after
                // its length, so that two columns never run together.
                scratch.removeAll(keepingCapacity: true)
                for i in compiled[k].indexes {
                    let token = UnsafeRawBufferPointer(rebasing: line[ranges[i]])
                    var text: [UInt8]? = nil
                    if token.contains(0x5C), let decoded = Self.string(line, ranges[i]) { text = [0x22] + Array(decoded.utf8) + [0x22] }
                    let count = text?.count ?? token.count
                    if compiled[k].indexes.count > 1 { withUnsafeBytes(of: UInt32(count).littleEndian) { scratch.append(contentsOf: $0) } }
                    if let text { scratch.append(contentsOf: text) } else { scratch.append(contentsOf: token) }
                }
                h = scratch.withUnsafeBytes { hasher.hash($0) }
            }
            return compiled[k].seen.insert(h)
        case .acceptedValues:
            guard let i = compiled[k].indexes.first, i < ranges.count, !Self.isNull(line, ranges[i]) else { return true }
            let token = UnsafeRawBufferPointer(rebasing: line[ranges[i]])
            if token.contains(0x5C) { return Self.string(line, ranges[i]).map { compiled[k].acceptedText.contains($0) } ?? false }
            // A short list is compared directly: lengths first, then bytes.
            if compiled[k].tokens.count <= 16 {
                for c in compiled[k].tokens where c.count == token.count {
                    if c.withUnsafeBytes({ memcmp($0.baseAddress!, token.baseAddress!, token.count) == 0 }) { return true }
                }
                return false
            }
            guard let candidates = compiled[k].accepted[hasher.hash(token)] else { return false }
            return candidates.contains { c in c.count == token.count && c.withUnsafeBytes { memcmp($0.baseAddress!, token.baseAddress!, token.count) == 0 } }
        case .range:
            guard let i = compiled[k].indexes.first, i < ranges.count, !Self.isNull(line, ranges[i]) else { return true }
            guard let v = Self.number(UnsafeRawBufferPointer(rebasing: line[ranges[i]])) else { return false }
            return v >= compiled[k].min && v <= compiled[k].max
        case .whole:
            return true
        }
    }

    /// A JSON number token as a Double: plain `-123.45` without allocating; exponents and long
    /// mantissas through the standard parser.
    static func number(_ t: UnsafeRawBufferPointer) -> Double? {
        var i = 0
        var negative = false
        if i < t.count, t[i] == 0x2D { negative = true; i += 1 }
        var mantissa: Int64 = 0
        var digits = 0, scale = 0
        var point = false
        while i < t.count {
            let c = t[i]
            if c >= 0x30 && c <= 0x39 {
                if digits >= 18 { return Double(String(decoding: t, as: UTF8.self)) }
                mantissa = mantissa * 10 + Int64(c - 0x30)
                digits += 1
                if point { scale += 1 }
            } else if c == 0x2E && !point {
                point = true
            } else if c == 0x65 || c == 0x45 {
                return Double(String(decoding: t, as: UTF8.self))
            } else {
                return nil
            }
            i += 1
        }
        guard digits > 0 else { return nil }
        // Both are exact in a Double (at most 18 digits; powers of ten up to 10^22), so the quotient is
        // the correctly rounded value of the literal.
        var v = Double(mantissa)
        if digits > 15 { return Double(String(decoding: t, as: UTF8.self)) }
        if scale > 0 { v /= Self.powersOfTen[scale] }
        return negative ? -v : v
    }

    static let powersOfTen: [Double] = (0...22).map { p in (0..<p).reduce(1.0) { acc, _ in acc * 10 } }

    static func quote(_ s: String, into out: inout String) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        let data = try? encoder.encode(s)
        out += data.map { String(decoding: $0, as: UTF8.self) } ?? "\"\(s)\""
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
