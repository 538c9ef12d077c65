import Foundation

/// Everything `plan`, `apply` and `export` read before planning: the desired state, the registry and
/// the lake's data, planned at one instant.
package struct PlanSession {
    package var desired: DesiredState
    package var registry: Registry
    package var lake: LakeState
    package var layout: LakeLayout { LakeLayout(root: desired.config.root) }

    /// Reads the three states. The lake is scanned for every feed the desired state keeps active.
    package static func load(configPath: String) throws(DiagnosticsError) -> PlanSession {
        let desired = try DesiredStateLoader.load(configPath: configPath)
        let layout = LakeLayout(root: desired.config.root)
        let registry = try Registry.load(layout, defaults: desired.config.defaults)
        let active = desired.feeds.filter { !$0.spec.archived }.map { ($0.spec.name, $0.spec.type) }
        let lake = try LakeState.load(layout, feeds: active)
        return PlanSession(desired: desired, registry: registry, lake: lake)
    }

    /// What a saved plan must match to be applied.
    package var digests: (config: String, registry: String) {
        (desired.digest, Planner.stateDigest(registry: registry, lake: lake))
    }

    /// The plan; `sources` are the refreshed source columns (nil offline).
    package func plan(at now: Date, targets: Set<String>? = nil, sources: [String: [KsqlField]]? = nil,
                      includeExports: Bool, exportDay: String? = nil) throws(DiagnosticsError) -> Plan {
        var planner = Planner(desired: desired, registry: registry, lake: lake, sources: sources, targets: targets)
        planner.includeExports = includeExports
        planner.exportDay = exportDay
        return try planner.plan(at: now)
    }
}
