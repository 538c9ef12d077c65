import Foundation
import LakeStorage

/// What an apply reports while it runs.
package enum ApplyProgress: Sendable {
    /// An export's running row count.
    case rows(PlanAction, Int)
    /// One log line per finished action.
    case finished(PlanAction, String)
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
}

/// Executes a plan's actions in order against the lake, through its storage. It executes the plan
/// it is given and recomputes nothing: every path it deletes, publishes or changes is one the plan
/// lists. The caller holds the lake's lock and checks staleness.
package struct Applier {
    package var storage: any LakeStorage
    package var clock: Clock
    /// Needed by export and snapshot actions; nil for a lifecycle-only apply.
    package var exports: ExportSettings?

    package init(storage: any LakeStorage, clock: Clock = .system, exports: ExportSettings? = nil) {
        self.storage = storage
        self.clock = clock
        self.exports = exports
    }

    /// Runs every action, stopping at the first failure; each finished action is durable. `progress`
    /// receives one line per action (and running row counts for exports). The log goes to
    /// `logs/export_<stamp>.log` (or `apply_<stamp>.log` without data actions), and only when
    /// something changed: an apply with nothing new leaves no trace.
    package func apply(_ plan: Plan, progress: (ApplyProgress) -> Void) async throws -> (results: [ActionResult], log: String?) {
        let hasData = plan.actions.contains { $0.kind == .export || $0.kind == .snapshot }
        let log = ApplyLog(storage: storage, stamp: clock.fileStamp(), prefix: hasData ? "export" : "apply",
                           mode: plan.actions.map(\.spec.access.fileMode).min() ?? 0o644)
        log.write("apply started: \(Plural.count(plan.actions.count, "action")) (\(plan.summary))")
        var results: [ActionResult] = []
        var newVersions: Set<String> = []
        // The layout is made once, by the first action that needs it (a request or two on S3).
        var layoutReady = false
        // Feeds whose data action failed (an export, a check, a clean-up): their later actions are
        // skipped, independent feeds go on, as Terraform does for independent resources. A failed
        // registry change still stops the apply (later actions may depend on it).
        var failedFeeds: [String: String] = [:]
        for action in plan.actions {
            let start = DispatchTime.now()
            var failure: String?
            var outcome: ExportOutcome?
            if let earlier = failedFeeds[action.feed] {
                let line = "\(action.kind.rawValue) \(action.feedType.rawValue) \(action.feed): skipped, the feed's \(earlier) failed"
                log.write(line, materialize: true)
                progress(.finished(action, line))
                results.append(ActionResult(action: action, seconds: 0, error: "skipped: the feed's \(earlier) failed", outcome: nil, changed: false))
                continue
            }
            let skipped = action.condition == .newVersion && !newVersions.contains(action.feed)
            if !skipped {
                do {
                    if !layoutReady && !action.kind.isRoutine {
                        try LakeLayout.create(in: storage)
                        layoutReady = true
                    }
                    outcome = try await execute(action) { rows in progress(.rows(action, rows)) }
                } catch {
                    failure = "\(error)"
                }
            }
            if action.kind == .snapshot, outcome?.changed == true { newVersions.insert(action.feed) }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
            let changed = failure == nil && !skipped && (outcome?.changed ?? true)
            var line = "\(action.kind.rawValue) \(action.feedType.rawValue) \(action.feed): "
            if let failure {
                line += "failed: \(failure)"
            } else if skipped {
                line += "nothing to prune (the snapshot made no new version)"
            } else if let o = outcome, !o.changed {
                line += action.kind == .export ? "nothing new" : "unchanged since the latest version"
                if o.duplicatesDropped > 0 { line += " (\(Plural.count(o.duplicatesDropped, "row")) already exported)" }
                if o.pastRetention > 0 { line += " (\(o.pastRetention) event\(o.pastRetention == 1 ? "" : "s") older than retention_days not exported)" }
            } else if let o = outcome {
                line += "ok, \(Plural.count(o.rows, "row")), \(Plural.count(o.bytes, "byte")), \(Plural.count(o.files.count, "file"))"
                if o.duplicatesDropped > 0 { line += ", \(o.duplicatesDropped) already exported" }
                if o.pastRetention > 0 { line += ", \(o.pastRetention) event\(o.pastRetention == 1 ? "" : "s") older than retention_days not exported" }
            } else {
                line += "ok"
            }
            if failure == nil, let o = outcome, !o.checks.isEmpty {
                var failed = o.checks.filter { !$0.passed }
                if o.quarantined > 0 {
                    let setAside = failed.filter { $0.check.severity == .error && !$0.check.columns.isEmpty }
                    failed.removeAll { setAside.contains($0) }
                    line += "; QUARANTINED \(o.quarantined) row\(o.quarantined == 1 ? "" : "s") to \(LakeLayout.quarantineDirectory(action.spec).value)/: "
                        + setAside.map(\.summary).joined(separator: "; ")
                }
                if !failed.isEmpty {
                    line += "; CHECK WARNINGS: " + failed.map(\.summary).joined(separator: "; ")
                } else if o.quarantined == 0 {
                    line += ", \(o.checks.count) check\(o.checks.count == 1 ? "" : "s") passed"
                }
            }
            line += String(format: " (%.3fs)", seconds)
            if (changed || failure != nil) && !layoutReady {
                _ = try? LakeLayout.create(in: storage)
                layoutReady = true
            }
            log.write(line, materialize: changed || failure != nil)
            progress(.finished(action, line))
            results.append(ActionResult(action: action, seconds: seconds, error: failure, outcome: outcome, changed: changed))
            if failure != nil {
                if action.kind.phase <= 2 { break }
                failedFeeds[action.feed] = action.kind.rawValue
            }
        }
        let failed = results.contains { $0.error != nil }
        log.write("apply \(failed ? "failed" : "finished"): \(results.count { $0.error == nil }) of \(Plural.count(plan.actions.count, "action")) done")
        return (results, log.path)
    }

    /// Runs one action; exports and snapshots return what they wrote.
    func execute(_ action: PlanAction, rows: (Int) -> Void) async throws -> ExportOutcome? {
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
