import Foundation
import Parquet
import KsqlDBClient
import LakeStorage

/// Everything `plan`, `apply` and `export` read before planning: the desired state, the registry and
/// the lake's data, planned at one instant.
package struct PlanSession {
    package var desired: DesiredState
    package var storage: any LakeStorage
    package var registry: Registry
    package var lake: LakeState

    /// Reads the three states. The lake is scanned for every feed the desired state keeps active.
    package static func load(configPath: String) throws(DiagnosticsError) -> PlanSession {
        try load(desired: DesiredStateLoader.load(configPath: configPath))
    }

    /// Reads the registry and the lake for an already loaded desired state.
    package static func load(desired: DesiredState) throws(DiagnosticsError) -> PlanSession {
        let storage = try desired.config.openStorage()
        let registry = try Registry.load(storage, defaults: desired.config.defaults)
        let active = desired.feeds.filter { !$0.spec.archived }.map { ($0.spec.name, $0.spec.type) }
        let lake = try LakeState.load(storage, feeds: active)
        return PlanSession(desired: desired, storage: storage, registry: registry, lake: lake)
    }

    /// What a saved plan must match to be applied.
    package var digests: (config: String, registry: String) {
        (desired.digest, Planner.stateDigest(registry: registry, lake: lake))
    }

    /// The plan; `sources` are the refreshed source columns (nil offline).
    package func plan(at now: Date, targets: Set<String>? = nil, sources: [String: [KsqlField]]? = nil,
                      includeExports: Bool, exportDay: String? = nil, allowDestroy: Bool = false,
                      clockSkewMs: Int64? = nil) throws(DiagnosticsError) -> Plan {
        if let targets { try Self.checkTargets(targets, known: Set(desired.feeds.map(\.spec.name)).union(registry.feeds.keys), file: desired.config.path) }
        var planner = Planner(desired: desired, registry: registry, lake: lake, sources: sources, targets: targets)
        planner.includeExports = includeExports
        planner.exportDay = exportDay
        planner.capabilities = storage.capabilities
        planner.allowDestroy = allowDestroy
        planner.clockSkewMs = clockSkewMs
        return try planner.plan(at: now)
    }

    /// `--target` names that are no feed are an error, with the closest name: a typo must not plan
    /// "No changes" and pass a CI gate.
    static func checkTargets(_ targets: Set<String>, known: Set<String>, file: String) throws(DiagnosticsError) {
        let unknown = targets.subtracting(known).sorted()
        guard !unknown.isEmpty else { return }
        throw DiagnosticsError(unknown.map { name in
            let hint = Suggestion.closest(to: name, among: known.sorted()).map { " (did you mean \"\($0)\"?)" } ?? ""
            return Diagnostic("--target \"\(name)\" is not a feed of this lake\(hint)", file: file)
        })
    }

    /// The plan after a refresh from ksqlDB: its sources' columns, and its clock against this machine's.
    package func refreshedPlan(at now: Date, client: KsqlDBClient, targets: Set<String>? = nil, exportDay: String? = nil,
                               allowDestroy: Bool = false, feeds: [FeedSpec]? = nil) async throws -> Plan {
        let sources = try await SourceRefresher(client: client).refresh(feeds ?? desired.feeds.map(\.spec))
        let skew = await client.serverDate().map { Int64(($0.timeIntervalSince1970 - now.timeIntervalSince1970) * 1000) }
        return try plan(at: now, targets: targets, sources: sources, includeExports: true, exportDay: exportDay,
                        allowDestroy: allowDestroy, clockSkewMs: skew)
    }

    /// A plan saved with `plan --out`, refused when the config, the registry or the lake's data
    /// changed since it was made (it would no longer be what was reviewed).
    package func savedPlan(_ path: String, now: Date = Date()) throws(DiagnosticsError) -> Plan {
        let plan = try Plan.load(path)
        let current = digests
        if plan.configDigest != current.config || plan.registryDigest != current.registry {
            let what = plan.configDigest != current.config ? "the configuration" : "the lake's registry or data"
            throw DiagnosticsError([Diagnostic("stale plan: \(what) changed since it was made; run `datalake plan` again", file: path)])
        }
        let problems = SavedPlanValidator(session: self, file: path, today: CivilDate.epochDay(ms: Int64(now.timeIntervalSince1970 * 1000)))
            .problems(plan)
        if !problems.isEmpty { throw DiagnosticsError(problems) }
        return plan
    }

    /// `datalake export`: the export, snapshot (and its prune) and clean-up actions `apply` would run for registered
    /// feeds (`feeds`, or every one when nil), and nothing else. `day` limits streams to one UTC day
    /// and leaves tables out.
    package func exportPlan(at now: Date, feeds: [String]?, day: String?, client: KsqlDBClient) async throws -> Plan {
        var targets: Set<String>?
        if let feeds {
            for feed in feeds where registry.feeds[feed]?.state != .active {
                let known = desired.feed(named: feed) != nil
                throw DiagnosticsError([Diagnostic(known ? "feed \"\(feed)\" is not registered yet: run `datalake apply` first"
                                                         : "no feed named \"\(feed)\" in \(desired.config.feedsDirectory)")])
            }
            targets = Set(feeds)
            // A date names a day partition, which only streams have.
            if day != nil, let table = feeds.first(where: { registry.feeds[$0]?.record.spec.type == .table }) {
                throw DiagnosticsError([Diagnostic("export --date applies to streams; \"\(table)\" is a table (its snapshots have no days)")])
            }
        }
        let registered = desired.feeds.map(\.spec).filter { registry.feeds[$0.name]?.state == .active && (targets?.contains($0.name) ?? true) }
        var plan = try await refreshedPlan(at: now, client: client, targets: targets, exportDay: day, feeds: registered)
        plan.actions = plan.actions.filter { action in
            // A snapshot's prune of the version it pushes out goes with it.
            let data = action.kind == .export || action.kind == .snapshot || action.kind == .cleanup || action.condition == .newVersion
            return data && registry.feeds[action.feed]?.state == .active && (day == nil || action.kind != .snapshot)
        }
        return plan
    }
}
