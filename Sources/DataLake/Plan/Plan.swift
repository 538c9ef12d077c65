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

    package var hasChanges: Bool { !actions.isEmpty }

    /// Count per kind, in `PlanActionKind` order, kinds with no action left out.
    package var counts: [(kind: PlanActionKind, count: Int)] {
        PlanActionKind.allCases.compactMap { kind in
            let n = actions.count { $0.kind == kind }
            return n > 0 ? (kind, n) : nil
        }
    }

    /// "Plan: 8 to register, 1 to update." or "No changes."
    package var summary: String {
        guard hasChanges else { return "No changes. The lake matches the configuration." }
        return "Plan: " + counts.map { "\($0.count) to \($0.kind.summaryNoun)" }.joined(separator: ", ") + "."
    }
}
