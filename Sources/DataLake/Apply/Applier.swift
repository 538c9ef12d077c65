import Foundation
import LakeStorage

/// What an apply reports while it runs.
package enum ApplyProgress: Sendable {
    /// An action begins.
    case started(PlanAction)
    /// An export's or snapshot's running counts.
    case rows(PlanAction, ReadProgress)
    /// A finished action: its result, and its line (as in the log).
    case finished(ActionResult, String)
}

/// What happened to one action during an apply.
package struct ActionResult: Sendable {
    package var action: PlanAction
    package var seconds: Double
    package var error: String?
    /// Exports and snapshots: what they wrote.
    package var outcome: ExportOutcome?
    /// False when the action left the lake byte for byte as it was (an export with nothing new, a
    /// conditional prune whose condition did not hold).
    package var changed: Bool
    /// Stopped by a stop request before its commit: it wrote nothing (`error` says so).
    package var interrupted = false
    /// The action's position in the plan.
    package var index = 0
    /// What it did, in words: its line without the timing (`seconds` has that).
    package var message = ""

    /// Not run because an earlier action of its feed failed.
    package var skipped: Bool { error?.hasPrefix(Applier.skippedPrefix) == true }
}

/// Executes a plan's actions in order against the lake, through its storage. It executes the plan
/// it is given and recomputes nothing: every path it deletes, publishes or changes is one the plan
/// lists. The caller holds the lake's lock and checks staleness.
package struct Applier {
    package var storage: any LakeStorage
    package var clock: Clock
    /// Needed by export and snapshot actions; nil for a lifecycle-only apply.
    package var exports: ExportSettings?
    /// Checked between actions and between an export's batches; nil: the apply runs to its end.
    package var stop: StopRequest?
    /// Feeds whose actions run at once (`max_parallel_feeds`); 1: one action at a time, in plan order.
    package var maxParallelFeeds = 1
    /// How the error of an action skipped after its feed's failure begins.
    static let skippedPrefix = "skipped: "

    package init(storage: any LakeStorage, clock: Clock = .system, exports: ExportSettings? = nil, stop: StopRequest? = nil) {
        self.storage = storage
        self.clock = clock
        self.exports = exports
        self.stop = stop
    }

    /// Runs every action, stopping at the first failure, or at the next safe point once `stop` is
    /// requested (the actions not run are those without a result, and the interrupted one); each
    /// finished action is durable. Lifecycle actions (phases 0–2) run first, in order; the feeds'
    /// own actions then run feed by feed, up to `maxParallelFeeds` feeds at once, each feed's in plan
    /// order. `progress` receives one line per action, always in plan order (and running row counts);
    /// the results come in plan order too. The log goes to `logs/export_<stamp>.log` (or
    /// `apply_<stamp>.log` without data actions), a line per action as it finishes, and only when
    /// something changed: an apply with nothing new leaves no trace.
    package func apply(_ plan: Plan, progress: (ApplyProgress) -> Void) async throws -> (results: [ActionResult], log: String?) {
        let hasData = plan.actions.contains { $0.kind == .export || $0.kind == .snapshot }
        let run = ApplyRun(log: ApplyLog(storage: storage, stamp: clock.fileStamp(), prefix: hasData ? "export" : "apply",
                                         mode: plan.actions.map(\.spec.access.fileMode).min() ?? 0o644))
        run.write("apply started: \(Plural.count(plan.actions.count, "action")) (\(plan.summary))")
        var results: [ActionResult] = []
        // A failed registry change stops the apply: later actions may depend on it.
        let lifecycle = plan.actions.prefix { $0.kind.phase <= 2 }.count
        var lane = FeedLane()
        var stopped = false
        for (index, action) in plan.actions.prefix(lifecycle).enumerated() {
            if stop?.reason != nil { stopped = true; break }
            let step = await self.step(action, index: index, lane: &lane, run: run, progress: progress)
            progress(.finished(step.result, step.line))
            results.append(step.result)
            if step.result.error != nil { stopped = true; break }
        }
        if !stopped {
            results += await runFeeds(Array(plan.actions.enumerated().dropFirst(lifecycle)), run: run, progress: progress)
        }
        if let reason = stop?.reason, let summary = Self.interruption(plan, results: results, reason: reason) {
            run.ensureLayout(in: storage)
            run.write(summary, materialize: true)
            return (results, run.path)
        }
        let failed = results.contains { $0.error != nil }
        run.write("apply \(failed ? "failed" : "finished"): \(results.count { $0.error == nil }) of \(Plural.count(plan.actions.count, "action")) done")
        return (results, run.path)
    }

    /// Runs one action of a feed whose earlier actions left `lane`; returns its result and line.
    func step(_ action: PlanAction, index: Int, lane: inout FeedLane, run: ApplyRun,
              progress: (ApplyProgress) -> Void) async -> (result: ActionResult, line: String) {
        let start = DispatchTime.now()
        var failure: String?
        var outcome: ExportOutcome?
        if let earlier = lane.failed {
            let line = "\(action.kind.rawValue) \(action.feedType.rawValue) \(action.feed): skipped, the feed's \(earlier) failed"
            run.write(line, materialize: true)
            return (ActionResult(action: action, seconds: 0, error: Self.skippedPrefix + "the feed's \(earlier) failed", outcome: nil, changed: false,
                                 index: index, message: line), line)
        }
        let skipped = action.condition == .newVersion && !lane.newVersion
        var interrupted = false
        if !skipped {
            progress(.started(action))
            do {
                if !action.kind.isRoutine { try run.makeLayout(in: storage) }
                outcome = try await execute(action) { read in
                    progress(.rows(action, read))
                    try stop?.check()
                }
            } catch where stop?.reason != nil && (error is ApplyStopped || error is CancellationError) {
                failure = "interrupted (\(stop!.reason!)) before its commit: nothing of it was written"
                interrupted = true
            } catch {
                failure = "\(error)"
            }
        }
        if action.kind == .snapshot, outcome?.changed == true { lane.newVersion = true }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        let changed = failure == nil && !skipped && (outcome?.changed ?? true)
        var line = "\(action.kind.rawValue) \(action.feedType.rawValue) \(action.feed): "
        if let failure {
            line += interrupted ? failure : "failed: \(failure)"
        } else if skipped {
            line += "nothing to prune (the snapshot made no new version)"
        } else if let o = outcome {
            line += Self.describe(o, kind: action.kind, spec: action.spec)
        } else {
            line += "ok"
        }
        let message = line
        line += String(format: " (%.3fs)", seconds)
        if changed || failure != nil { run.ensureLayout(in: storage) }
        run.write(line, materialize: changed || failure != nil)
        if failure != nil, !interrupted { lane.failed = action.kind.rawValue }
        return (ActionResult(action: action, seconds: seconds, error: failure, outcome: outcome, changed: changed, interrupted: interrupted,
                             index: index, message: message), line)
    }

    /// What an export or snapshot did, for its line.
    static func describe(_ o: ExportOutcome, kind: PlanActionKind, spec: FeedSpec) -> String {
        var line = ""
        if !o.changed {
            line += kind == .export ? "nothing new" : "unchanged since the latest version"
            if o.duplicatesDropped > 0 { line += " (\(Plural.count(o.duplicatesDropped, "row")) already exported)" }
            if o.pastRetention > 0 { line += " (\(o.pastRetention) event\(o.pastRetention == 1 ? "" : "s") older than retention_days not exported)" }
        } else {
            line += "ok, \(Plural.count(o.rows, "row")), \(Plural.count(o.bytes, "byte")), \(Plural.count(o.files.count, "file"))"
            if o.duplicatesDropped > 0 { line += ", \(o.duplicatesDropped) already exported" }
            if o.pastRetention > 0 { line += ", \(o.pastRetention) event\(o.pastRetention == 1 ? "" : "s") older than retention_days not exported" }
        }
        if !o.checks.isEmpty {
            var failed = o.checks.filter { !$0.passed }
            if o.quarantined > 0 {
                let setAside = failed.filter { $0.check.severity == .error && !$0.check.columns.isEmpty }
                failed.removeAll { setAside.contains($0) }
                line += "; QUARANTINED \(o.quarantined) row\(o.quarantined == 1 ? "" : "s") to \(LakeLayout.quarantineDirectory(spec).value)/: "
                    + setAside.map(\.summary).joined(separator: "; ")
            }
            if !failed.isEmpty {
                line += "; CHECK WARNINGS: " + failed.map(\.summary).joined(separator: "; ")
            } else if o.quarantined == 0 {
                line += ", \(o.checks.count) check\(o.checks.count == 1 ? "" : "s") passed"
            }
        }
        return line
    }

    /// Runs one action; exports and snapshots return what they wrote.
    func execute(_ action: PlanAction, rows: (ReadProgress) throws -> Void) async throws -> ExportOutcome? {
        switch action.kind {
        case .export, .snapshot:
            guard let exports else { throw DataLakeError("\(action.kind.rawValue) needs ksqlDB") }
            do {
                if action.kind == .export {
                    return try await StreamExporter(settings: exports, storage: storage, clock: clock).run(action, progress: rows)
                }
                return try await TableSnapshotter(settings: exports, storage: storage, clock: clock).run(action, progress: rows)
            } catch {
                // A restricted feed's values never reach a terminal, a log or a CI page.
                throw ErrorRedaction.redacted(error, restricted: action.spec.access == .restricted)
            }
        default:
            try execute(action)
            return nil
        }
    }

    func execute(_ action: PlanAction) throws {
        let spec = action.spec
        let now = clock.timestamp()
        switch action.kind {
        case .register:
            var record = FeedRecord(spec: spec, updatedAt: now)
            if record.spec.createdAt == nil { record.spec.createdAt = now }
            try ensureDataDirectory(spec)
            try writeRecord(record, to: LakeLayout.activeRecord(spec.name))
        case .update, .enable, .disable:
            var record = FeedRecord(spec: spec, updatedAt: now)
            record.spec.createdAt = spec.createdAt ?? currentRecord(spec.name)?.spec.createdAt ?? now
            try ensureDataDirectory(spec)
            try writeRecord(record, to: LakeLayout.activeRecord(spec.name))
        case .restore:
            var record = FeedRecord(spec: spec, updatedAt: now)
            record.spec.createdAt = spec.createdAt ?? currentRecord(spec.name, archived: true)?.spec.createdAt ?? now
            try ensureDataDirectory(spec)
            try writeRecord(record, to: LakeLayout.activeRecord(spec.name))
            try storage.delete([LakeLayout.archivedRecord(spec.name)])
        case .archive:
            var record = currentRecord(spec.name) ?? FeedRecord(spec: spec)
            record.spec.archived = false
            record.archivedAt = now
            record.updatedAt = now
            record.specHash = nil
            // Write the archived copy first: a crash in between leaves both, which plan reports, never neither.
            try writeRecord(record, to: LakeLayout.archivedRecord(spec.name))
            try storage.delete([LakeLayout.activeRecord(spec.name)])
        case .cleanup: try cleanup(action)
        case .prune: try prune(action)
        case .expire: try expire(action)
        case .tier: try tier(action)
        case .convert: try convert(action)
        case .expireLog: try expireLog(action)
        case .chmod: try chmod(action)
        case .export, .snapshot:
            throw DataLakeError("\(action.kind.rawValue) runs asynchronously")
        }
    }

    func currentRecord(_ feed: String, archived: Bool = false) -> FeedRecord? {
        let path = archived ? LakeLayout.archivedRecord(feed) : LakeLayout.activeRecord(feed)
        guard let bytes = (try? storage.read(path, limit: Registry.maxRecordBytes)) ?? nil,
              let node = try? YAMLParser().parse(bytes, file: storage.describe(path)).first else { return nil }
        let decoder = NodeDecoder()
        return FeedSpec.decode(node, defaults: .init(), decoder: decoder, extraKeys: FeedRecord.bookkeepingKeys).map { FeedRecord(spec: $0) }
    }

    func writeRecord(_ record: FeedRecord, to path: LakePath) throws {
        var r = record
        r.spec.archived = false
        r.specHash = r.spec.hash
        try storage.put(path, Array(r.json.rendered().utf8), mode: 0o644)
    }

    /// The feed's data directory, created with the mode of its access level when missing (an
    /// existing one is the plan's chmod to correct, not this).
    func ensureDataDirectory(_ spec: FeedSpec) throws {
        try storage.makeDirectories(LakeLayout.dataDirectory(spec), mode: spec.access.directoryMode)
    }
}
