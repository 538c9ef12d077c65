import KsqlDBClient

/// Compares a source's columns now with the last export's, column by column, under a feed's policy.
package struct SchemaDiff {
    package var previous: [FeedMetadata.Column]
    package var current: [KsqlField]
    package var policy: SchemaPolicy
    package var feed: String
    package var location: SourceLocation

    /// Pseudo columns the export selects itself; they are not part of the source's description.
    static let pseudoColumns: Set<String> = ["ROWTIME"]

    /// Added / removed / retyped columns as plan changes, or an error when the policy refuses one.
    package func changes() throws(Diagnostic) -> [FieldChange] {
        let before = Dictionary(previous.filter { !Self.pseudoColumns.contains($0.name) }.map { ($0.name, $0.type) }, uniquingKeysWith: { a, _ in a })
        let after = Dictionary(current.map { ($0.name, $0.type.description) }, uniquingKeysWith: { a, _ in a })
        var changes: [FieldChange] = []
        var refused: [String] = []
        for column in current.map(\.name) where before[column] == nil {
            changes.append(FieldChange(field: "column \(column)", before: "(absent)", after: after[column]!))
            if policy == .strict { refused.append("\(column) was added") }
        }
        for column in previous.map(\.name) where !Self.pseudoColumns.contains(column) {
            guard let was = before[column] else { continue }
            if let now = after[column] {
                if now != was {
                    changes.append(FieldChange(field: "column \(column)", before: was, after: now))
                    refused.append("\(column) changed type from \(was) to \(now)")
                }
            } else {
                changes.append(FieldChange(field: "column \(column)", before: was, after: "(removed)"))
                refused.append("\(column) was removed")
            }
        }
        if !refused.isEmpty {
            throw Diagnostic("feed \"\(feed)\": the source's schema changed (\(refused.joined(separator: "; "))) and schema_policy \(policy.rawValue) refuses it; "
                             + "export it to a new feed, or archive and re-create this one", at: location)
        }
        return changes
    }
}
