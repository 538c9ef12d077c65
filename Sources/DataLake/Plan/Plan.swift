/// A computed plan: ordered actions plus the fingerprints of the inputs it was computed from, so
/// that `apply PLANFILE` can refuse a plan made against another config or registry.
package struct Plan: Sendable {
    /// Version of the JSON plan schema (documented in README.md).
    package static let formatVersion = 1

    package var createdAt: String
    package var configDigest: String
    package var registryDigest: String
    package var actions: [PlanAction]
    package var warnings: [Diagnostic]

    package init(createdAt: String, configDigest: String, registryDigest: String, actions: [PlanAction], warnings: [Diagnostic] = []) {
        self.createdAt = createdAt
        self.configDigest = configDigest
        self.registryDigest = registryDigest
        self.actions = actions
        self.warnings = warnings
    }

    /// Changes to the lake's shape: everything but the routine exports and snapshots, which run on
    /// every apply and write only when ksqlDB has something new.
    /// Real changes: anything but a routine export or snapshot, and a routine one that brings a
    /// schema change (a new column is a change a pull request must see).
    package var hasChanges: Bool { actions.contains { !$0.kind.isRoutine || !$0.changes.isEmpty } }

    /// Anything for apply to run, routine exports included.
    package var hasWork: Bool { !actions.isEmpty }

    /// Count per kind, in `PlanActionKind` order, kinds with no action left out.
    package var counts: [(kind: PlanActionKind, count: Int)] {
        PlanActionKind.allCases.compactMap { kind in
            let n = actions.count { $0.kind == kind }
            return n > 0 ? (kind, n) : nil
        }
    }

    /// "Plan: 8 to register, 1 to update." or "No changes. …", then "Data: 4 to export, 4 to snapshot."
    package var summary: String {
        let changes = counts.filter { !$0.kind.isRoutine }
        let routine = counts.filter { $0.kind.isRoutine }
        var parts = changes.map { "\($0.count) to \($0.kind.summaryNoun)" }
        let schemaChanges = actions.filter { $0.kind.isRoutine && !$0.changes.isEmpty }.count
        if schemaChanges > 0 { parts.append(Plural.count(schemaChanges, "schema change")) }
        var text = parts.isEmpty ? "No changes. The lake matches the configuration." : "Plan: " + parts.joined(separator: ", ") + "."
        if !routine.isEmpty { text += " Data: " + routine.map { "\($0.count) to \($0.kind.summaryNoun)" }.joined(separator: ", ") + "." }
        return text
    }
}
