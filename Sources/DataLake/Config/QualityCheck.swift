/// One data quality check of a feed (`checks:` in its feed file), evaluated on the rows of each
/// export or snapshot while they stream into the writers, before the commit.
package struct QualityCheck: Sendable, Hashable {
    package enum Rule: Sendable, Hashable {
        /// Each row has a value in each of these columns.
        case notNull([String])
        /// No two rows of one export (stream) or snapshot (table) have the same values in these columns.
        case unique([String])
        /// The column's value (when not null) is one of these strings.
        case acceptedValues(column: String, values: [String])
        /// The column's number (when not null) lies within the bounds, inclusive.
        case range(column: String, min: Double?, max: Double?)
        /// The export or snapshot has this many rows.
        case rowCount(min: Int?, max: Int?)
        /// The newest event time of the feed is at most this old when the export runs.
        case freshness(maxAgeMinutes: Int)
    }

    /// What a failed check does: `error` stops the commit (per `on_check_failure`), `warn` reports.
    package enum Severity: String, Sendable, Hashable, CaseIterable {
        case error, warn
    }

    package var rule: Rule
    package var severity: Severity

    package init(_ rule: Rule, severity: Severity = .error) {
        self.rule = rule
        self.severity = severity
    }

    /// The check's kind as written in feed files.
    package var kind: String {
        switch rule {
        case .notNull: return "not_null"
        case .unique: return "unique"
        case .acceptedValues: return "accepted_values"
        case .range: return "range"
        case .rowCount: return "row_count"
        case .freshness: return "freshness"
        }
    }

    package static let kinds = ["not_null", "unique", "accepted_values", "range", "row_count", "freshness"]

    /// The columns the check reads.
    package var columns: [String] {
        switch rule {
        case let .notNull(c), let .unique(c): return c
        case let .acceptedValues(c, _), let .range(c, _, _): return [c]
        case .rowCount, .freshness: return []
        }
    }

    /// A short name for messages and reports: `not_null(USER_ID, AMOUNT)`, `range(AMOUNT)`.
    package var name: String {
        switch rule {
        case let .rowCount(min, max): return "row_count(" + [min.map { "min \($0)" }, max.map { "max \($0)" }].compactMap { $0 }.joined(separator: ", ") + ")"
        case let .freshness(minutes): return "freshness(\(minutes) min)"
        default: return "\(kind)(\(columns.joined(separator: ", ")))"
        }
    }
}

/// What a feed does when an error-severity check fails.
package enum CheckFailureAction: String, Sendable, Hashable, CaseIterable {
    /// The export or snapshot is not committed; the next apply tries again.
    case fail
    /// It is committed, with a warning.
    case warn
    /// The rows that fail a row check go to `quarantine/<feed>/`, with the names of the checks they
    /// failed; the rest is committed, both in one commit. A failed `row_count` or `freshness` has
    /// no rows to set aside: the export fails as under `fail`.
    case quarantine
}
