/// What one quality check found in one export or snapshot.
package struct CheckOutcome: Sendable, Equatable {
    package var check: QualityCheck
    /// Rows the check looked at.
    package var rowsChecked: Int
    /// Rows that failed it (for row_count and freshness: 1 when the export fails it).
    package var failed: Int
    /// The first failing rows' numbers in the query's answer (1-based), never their values.
    package var firstRows: [Int]
    /// For row_count and freshness: what was found ("0 rows", "newest event 3 h ago").
    package var found: String?

    package var passed: Bool { failed == 0 }

    /// One line: `not_null(AMOUNT): 2 of 100 rows failed (rows 4, 9)`.
    package var summary: String {
        if passed { return "\(check.name): passed (\(Plural.count(rowsChecked, "row")))" }
        if let found { return "\(check.name): failed, \(found)" }
        let rows = firstRows.isEmpty ? "" : " (row\(firstRows.count == 1 ? "" : "s") \(firstRows.map(String.init).joined(separator: ", "))\(failed > firstRows.count ? ", …" : ""))"
        return "\(check.name): \(failed) of \(Plural.count(rowsChecked, "row")) failed\(rows)"
    }

    /// What `_metadata.json` keeps of it.
    var record: FeedMetadata.CheckResult {
        FeedMetadata.CheckResult(check: check.name, severity: check.severity.rawValue, rowsChecked: rowsChecked, rowsFailed: failed)
    }

    package var json: JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("check", .string(check.name)), ("severity", .string(check.severity.rawValue)),
            ("rows_checked", .int(rowsChecked)), ("rows_failed", .int(failed)),
        ]
        if !firstRows.isEmpty { pairs.append(("first_rows", .array(firstRows.map(JSONValue.int)))) }
        if let found { pairs.append(("found", .string(found))) }
        return .object(pairs)
    }
}

/// An export or snapshot whose error-severity checks failed under `on_check_failure: fail`: nothing
/// of it was committed. Apply goes on with the other feeds and exits non-zero.
package struct CheckFailure: Error, CustomStringConvertible, Sendable {
    package var feed: String
    package var outcomes: [CheckOutcome]

    package var description: String {
        let failed = outcomes.filter { !$0.passed && $0.check.severity == .error }
        return "\(failed.count) check\(failed.count == 1 ? "" : "s") failed, nothing committed: " + failed.map(\.summary).joined(separator: "; ")
    }
}
