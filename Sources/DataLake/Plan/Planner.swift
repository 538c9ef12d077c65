import Crypto
import Foundation
import KsqlDBClient
import LakeStorage
import Parquet

/// Diffs the desired state against the registry (and, with `lake`, the lake's data) and produces
/// the ordered action list. Pure: reads nothing from disk itself, so it is tested with values.
package struct Planner {
    package var desired: DesiredState
    package var registry: Registry
    /// The lake's data; nil plans feed lifecycle only (no exports, pruning, retention, modes).
    package var lake: LakeState?
    /// Columns ksqlDB describes for each enabled feed's source (refresh); nil when offline.
    package var sources: [String: [KsqlField]]?
    /// Limits the plan to these feeds (`--target`); nil means all.
    package var targets: Set<String>?
    /// `export --date`: only that UTC day (`YYYY-MM-DD`).
    package var exportDay: String?
    /// Plan exports and snapshots (apply and export); maintenance-only otherwise.
    package var includeExports = true
    /// ksqlDB's clock minus this machine's (ms), when ksqlDB said its time; nil when unknown.
    package var clockSkewMs: Int64?
    /// Plan expiries that delete a feed's newest partition (`--allow-destroy`); refused otherwise.
    package var allowDestroy = false
    /// What the lake's storage can do (modes: chmod actions).
    package var capabilities = StorageCapabilities(modes: true, directories: true)

    package init(desired: DesiredState, registry: Registry, lake: LakeState? = nil, sources: [String: [KsqlField]]? = nil,
                 targets: Set<String>? = nil) {
        self.desired = desired
        self.registry = registry
        self.lake = lake
        self.sources = sources
        self.targets = targets
    }

    /// The plan at `now`, or every reason it cannot be made (e.g. archiving a protected feed).
    package func plan(at now: Date) throws(DiagnosticsError) -> Plan {
        try plan(now: Clock.iso8601(now), nowMs: Int64((now.timeIntervalSince1970 * 1000).rounded(.down)), stamp: Clock.fileStamp(now))
    }

    /// Lifecycle-only planning with a fixed timestamp (tests).
    package func plan(now: String) throws(DiagnosticsError) -> Plan {
        try plan(now: now, nowMs: 0, stamp: "")
    }

    func plan(now: String, nowMs: Int64, stamp: String) throws(DiagnosticsError) -> Plan {
        var actions: [PlanAction] = []
        var errors: [Diagnostic] = []
        let desiredByName = Dictionary(uniqueKeysWithValues: desired.feeds.map { ($0.spec.name, $0) })
        let names = Set(desiredByName.keys).union(registry.feeds.keys).sorted()

        for name in names {
            if let targets, !targets.contains(name) { continue }
            let want = desiredByName[name]
            let have = registry.feeds[name]
            switch (want, have) {
            case let (want?, nil):
                if want.spec.archived { continue } // declared archived and never registered: nothing to keep
                actions.append(PlanAction(kind: .register, feed: name, feedType: want.spec.type, spec: want.spec))
            case let (want?, have?) where have.state == .active:
                if want.spec.archived {
                    if let e = protectionError(name, want: want, have: have) { errors.append(e); continue }
                    actions.append(PlanAction(kind: .archive, feed: name, feedType: have.record.spec.type,
                                              spec: have.record.spec, reason: "marked archived"))
                    continue
                }
                let changes = Self.changes(from: have.record.spec, to: want.spec)
                if !changes.isEmpty || have.record.specHash != have.record.spec.hash && have.record.specHash != nil {
                    var spec = want.spec
                    spec.enabled = have.record.spec.enabled
                    if have.record.spec.type != want.spec.type {
                        errors.append(Diagnostic("feed \"\(name)\" is registered as a \(have.record.spec.type.rawValue); changing feed_type is not supported: archive it and declare a new feed",
                                                 at: want.location))
                        continue
                    }
                    actions.append(PlanAction(kind: .update, feed: name, feedType: want.spec.type, changes: changes, spec: spec,
                                              reason: changes.isEmpty ? "rewrite a hand-edited registry record" : nil))
                }
                if want.spec.enabled != have.record.spec.enabled {
                    actions.append(PlanAction(kind: want.spec.enabled ? .enable : .disable, feed: name,
                                              feedType: want.spec.type, spec: want.spec))
                }
            case let (want?, have?):
                // Archived in the registry.
                if want.spec.archived { continue }
                actions.append(PlanAction(kind: .restore, feed: name, feedType: want.spec.type,
                                          changes: Self.changes(from: have.record.spec, to: want.spec), spec: want.spec,
                                          reason: "declared again in \(want.location.file)"))
            case let (nil, have?):
                guard have.state == .active else { continue }
                if have.record.spec.protect {
                    errors.append(Diagnostic("feed \"\(name)\" is protected and cannot be archived: its file was removed from the feeds directory; restore it, set `protect: false` and apply, then remove it",
                                             file: have.path))
                    continue
                }
                actions.append(PlanAction(kind: .archive, feed: name, feedType: have.record.spec.type,
                                          spec: have.record.spec, reason: "no feed file declares it"))
            case (nil, nil):
                break
            }
        }
        var warnings = desired.warnings + registry.warnings + Self.connectionWarnings(desired.config)
        if lake != nil, !capabilities.modes {
            warnings.append(Diagnostic("\(desired.config.root) has no file modes: access levels are not applied there (no chmod is planned)", severity: .warning))
        }
        if let lake {
            let maintenance = MaintenancePlanner(today: CivilDate.epochDay(ms: nowMs), capabilities: capabilities)
            for name in names {
                if let targets, !targets.contains(name) { continue }
                guard let spec = activeSpec(name), let state = lake.feeds[name] else { continue }
                let exports = includeExports && spec.enabled
                if spec.type == .stream, let skew = clockSkewMs, let lateness = spec.latenessMinutes, abs(skew) * 2 > Int64(lateness) * 60_000 {
                    let way = skew > 0 ? "behind" : "ahead of"
                    errors.append(Diagnostic("this machine's clock is \(abs(skew) / 1000) s \(way) ksqlDB's, more than half of feed \"\(name)\"'s lateness "
                                             + "(\(lateness) min): fix the clock (NTP) before it exports or expires anything", at: desired.feed(named: name)!.location))
                    continue
                }
                if state.metadata == nil, !state.scan.partitions.allSatisfy(\.files.isEmpty) || !state.scan.versions.allSatisfy(\.files.isEmpty) {
                    errors.append(Diagnostic("\(LakeLayout.dataDirectory(spec).value) holds data files but no \(FeedMetadata.fileName): an export would start again from the first event "
                                             + "and duplicate them; restore the metadata, or move the files out of the lake", at: desired.feed(named: name)!.location))
                    continue
                }
                if exports {
                    do { actions.append(try exportAction(spec, state: state, nowMs: nowMs, stamp: stamp)) } catch { errors.append(error) }
                }
                let planned = maintenance.actions(for: spec, state: state, snapshots: exports && spec.type == .table && exportDay == nil)
                if let destroy = planned.first(where: \.destructive) {
                    let at = desired.feed(named: name)!.location
                    let newest = destroy.paths.filter { $0.path.split(separator: "/").count == 5 }.last?.path ?? ""
                    if spec.protect {
                        errors.append(Diagnostic("feed \"\(name)\" is protected: retention would expire its newest partition \(newest) (is this machine's clock right?)", at: at))
                        continue
                    }
                    if !allowDestroy {
                        errors.append(Diagnostic("retention would expire every partition of feed \"\(name)\" up to its newest, \(newest): is this machine's clock right? "
                                                 + "Pass --allow-destroy to plan it anyway", at: at))
                        continue
                    }
                }
                actions += planned
                for link in state.scan.symlinks {
                    let path = LakeLayout.dataDirectory(spec).value + (link.isEmpty ? "" : "/" + link)
                    warnings.append(Diagnostic("\(path) is a symbolic link: datalake never follows it (no chmod, expiry, pruning or clean-up through it); remove it",
                                               severity: .warning))
                }
            }
        }
        if !errors.isEmpty { throw DiagnosticsError(errors) }
        // Stable sort keeps name order inside each phase.
        let ordered = actions.enumerated().sorted { ($0.element.kind.phase, $0.offset) < ($1.element.kind.phase, $1.offset) }.map(\.element)
        return Plan(createdAt: now, configDigest: desired.digest, registryDigest: Self.stateDigest(registry: registry, lake: lake), actions: ordered,
                    warnings: warnings)
    }

    /// The registry digest, combined with the lake data's when the plan covers data.
    package static func stateDigest(registry: Registry, lake: LakeState?) -> String {
        guard let lake else { return registry.digest }
        return "sha256:" + SHA256.hash(data: Array((registry.digest + lake.digest).utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// The spec a feed has once this plan's lifecycle actions are applied, when it is active then.
    func activeSpec(_ name: String) -> FeedSpec? {
        if let want = desired.feed(named: name) { return want.spec.archived ? nil : want.spec }
        return nil // a registered feed without a file is archived by this plan
    }

    /// An export (stream) or snapshot (table) with its window fixed now, after checking the source's schema.
    func exportAction(_ spec: FeedSpec, state: LakeState.Feed, nowMs: Int64, stamp: String) throws(Diagnostic) -> PlanAction {
        var changes: [FieldChange] = []
        if let sources {
            guard let columns = sources[spec.name] else {
                let at = desired.feed(named: spec.name)!.location
                throw Diagnostic("ksqlDB has no stream or table named \(spec.source) (feed \"\(spec.name)\")", at: at)
            }
            if let problem = Self.timestampProblem(spec, columns: columns) {
                throw Diagnostic("feed \"\(spec.name)\": \(problem)", at: desired.feed(named: spec.name)!.location)
            }
            if !spec.checks.isEmpty {
                // The columns the checks name, with types that fit, before apply registers anything.
                let fields = (spec.type == .stream ? [KsqlField(name: "ROWTIME", type: .bigint)] : []) + columns
                do { _ = try QualityCheckRunner(checks: spec.checks, fields: fields, feed: "feed \"\(spec.name)\"") } catch {
                    throw Diagnostic("\(error)", at: desired.feed(named: spec.name)!.location)
                }
            }
            if let previous = state.metadata?.schema, !previous.isEmpty {
                changes = try SchemaDiff(previous: previous, current: columns, policy: spec.schemaPolicy,
                                         feed: spec.name, location: desired.feed(named: spec.name)!.location).changes()
            }
        }
        var window = ExportWindow(from: nil, to: nowMs, stamp: stamp, day: exportDay)
        if spec.type == .stream { window.from = Self.windowStart(spec: spec, metadata: state.metadata) }
        var action = PlanAction(kind: spec.type == .stream ? .export : .snapshot, feed: spec.name, feedType: spec.type,
                                changes: changes, spec: spec)
        action.window = window
        // The overlap file the export's commit replaces: deleted after it, as listed here.
        if spec.type == .stream, let overlap = state.metadata?.overlapFile, state.scan.sizes[overlap] != nil {
            action.paths = [PlanPath(path: LakeLayout.dataDirectory(spec).value + "/" + overlap, bytes: state.scan.size(of: overlap))]
        }
        return action
    }

    /// What a reviewer of any plan format must see about how ksqlDB is reached.
    static func connectionWarnings(_ config: LakeConfig) -> [Diagnostic] {
        var out: [Diagnostic] = []
        let k = config.ksqldb
        if k.insecureSkipVerify {
            out.append(Diagnostic("ksqldb.tls.insecure_skip_verify is on: ksqlDB's certificate is not checked, so anyone on the path can read the data and the credentials",
                                  file: config.path, severity: .warning))
        }
        if k.userEnv != nil, let url = URL(string: k.url), url.scheme?.lowercased() == "http", let host = url.host, !Self.isLoopback(host) {
            out.append(Diagnostic("ksqlDB credentials go to \(host) over plain http: use https", file: config.path, severity: .warning))
        }
        return out
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }

    /// Why the stream's `timestamp_column` cannot place rows by day, or nil: it must exist, and be a
    /// TIMESTAMP, or a BIGINT whose unit the feed declares.
    static func timestampProblem(_ spec: FeedSpec, columns: [KsqlField]) -> String? {
        guard spec.type == .stream, let name = spec.timestampColumn, name.uppercased() != "ROWTIME" else { return nil }
        guard let column = columns.first(where: { $0.name.uppercased() == name.uppercased() }) else {
            return "the source has no column \(name) (timestamp_column); it has \(columns.map(\.name).joined(separator: ", "))"
        }
        switch column.type {
        case .timestamp: return nil
        case .bigint:
            return spec.timestampUnit == nil ? "timestamp_column \(name) is a BIGINT: say its unit with `timestamp_unit: ms` or `s`" : nil
        default:
            return "timestamp_column \(name) is \(column.type); it must be a TIMESTAMP, or a BIGINT with timestamp_unit"
        }
    }

    /// Where a stream's next export starts reading: the watermark minus the lateness, but never
    /// before what the overlap file's fingerprints cover (after `lateness_minutes` was raised, rows
    /// older than that were exported without a fingerprint and must not be read again).
    package static func windowStart(spec: FeedSpec, metadata: FeedMetadata?) -> Int64? {
        guard spec.type == .stream, let watermark = metadata?.watermark else { return nil }
        let lateness = Int64(spec.latenessMinutes ?? 0) * 60_000
        return max(watermark - lateness, metadata?.coveredFrom ?? Int64.min)
    }

    func protectionError(_ name: String, want: FeedDefinition, have: RegisteredFeed) -> Diagnostic? {
        guard want.spec.protect || have.record.spec.protect else { return nil }
        return Diagnostic("feed \"\(name)\" is protected and cannot be archived: set `protect: false`, apply, then archive it",
                          at: want.location)
    }

    /// Field-by-field differences; `created_at` only when the file states one.
    package static func changes(from old: FeedSpec, to new: FeedSpec) -> [FieldChange] {
        let before = Dictionary(old.comparableFields.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        return new.comparableFields.compactMap { field in
            let was = before[field.key] ?? "-"
            return was == field.value ? nil : FieldChange(field: field.key, before: was, after: field.value)
        }
    }
}
