import Foundation

/// What happened to one action during an apply.
package struct ActionResult: Sendable {
    package var action: PlanAction
    package var seconds: Double
    package var error: String?
}

/// Executes a plan's actions in order against the lake. It executes the plan it is given rather
/// than recomputing it; the caller holds the `ApplyLock` and checks staleness.
package struct Applier {
    package var layout: LakeLayout
    package var clock: Clock

    package init(layout: LakeLayout, clock: Clock = .system) {
        self.layout = layout
        self.clock = clock
    }

    /// Runs every action, stopping at the first failure; each finished action is durable on disk.
    /// `progress` receives one line per action. The log goes to `logs/apply_<stamp>.log`.
    package func apply(_ plan: Plan, progress: (String) -> Void) throws -> (results: [ActionResult], log: String) {
        try layout.create()
        let log = try ApplyLog(directory: layout.logs, stamp: clock.fileStamp())
        log.write("apply started: \(plan.actions.count) actions (\(plan.summary))")
        var results: [ActionResult] = []
        for action in plan.actions {
            let start = DispatchTime.now()
            var failure: String?
            do {
                try execute(action)
            } catch {
                failure = "\(error)"
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
            let outcome = failure.map { "failed: \($0)" } ?? "ok"
            let line = "\(action.kind.rawValue) \(action.feedType.rawValue) \(action.feed): \(outcome) (\(String(format: "%.3f", seconds))s)"
            log.write(line)
            progress(line)
            results.append(ActionResult(action: action, seconds: seconds, error: failure))
            if failure != nil { break }
        }
        let failed = results.contains { $0.error != nil }
        log.write("apply \(failed ? "failed" : "finished"): \(results.count { $0.error == nil }) of \(plan.actions.count) actions done")
        return (results, log.path)
    }

    func execute(_ action: PlanAction) throws {
        let spec = action.spec
        let now = clock.timestamp()
        switch action.kind {
        case .register:
            var record = FeedRecord(spec: spec, updatedAt: now)
            if record.spec.createdAt == nil { record.spec.createdAt = now }
            try ensureDataDirectory(spec)
            try writeRecord(record, to: layout.activeRecord(spec.name))
        case .update, .enable, .disable:
            var record = FeedRecord(spec: spec, updatedAt: now)
            record.spec.createdAt = spec.createdAt ?? currentRecord(spec.name)?.spec.createdAt ?? now
            try ensureDataDirectory(spec)
            try writeRecord(record, to: layout.activeRecord(spec.name))
        case .restore:
            var record = FeedRecord(spec: spec, updatedAt: now)
            record.spec.createdAt = spec.createdAt ?? currentRecord(spec.name, archived: true)?.spec.createdAt ?? now
            try ensureDataDirectory(spec)
            try writeRecord(record, to: layout.activeRecord(spec.name))
            try FileIO.remove(layout.archivedRecord(spec.name))
        case .archive:
            var record = currentRecord(spec.name) ?? FeedRecord(spec: spec)
            record.spec.archived = false
            record.archivedAt = now
            record.updatedAt = now
            record.specHash = nil
            // Write the archived copy first: a crash in between leaves both, which plan reports, never neither.
            try writeRecord(record, to: layout.archivedRecord(spec.name))
            try FileIO.remove(layout.activeRecord(spec.name))
        case .cleanup: try cleanup(action)
        case .prune: try prune(action)
        case .expire: try expire(action)
        case .chmod: try chmod(action)
        case .export, .snapshot:
            throw DataLakeError("\(action.kind.rawValue) needs the ksqlDB exporter")
        }
    }

    func currentRecord(_ feed: String, archived: Bool = false) -> FeedRecord? {
        let path = archived ? layout.archivedRecord(feed) : layout.activeRecord(feed)
        guard let bytes = try? FileIO.read(path), let node = try? YAMLParser().parse(bytes, file: path).first else { return nil }
        let decoder = NodeDecoder()
        return FeedSpec.decode(node, defaults: .init(), decoder: decoder, extraKeys: FeedRecord.bookkeepingKeys).map { FeedRecord(spec: $0) }
    }

    func writeRecord(_ record: FeedRecord, to path: String) throws {
        var r = record
        r.spec.archived = false
        r.specHash = r.spec.hash
        try FileIO.writeAtomically(path, r.json.rendered())
    }

    /// The feed's data directory with the mode of its access level.
    func ensureDataDirectory(_ spec: FeedSpec) throws {
        let dir = layout.dataDirectory(spec.name, type: spec.type)
        try FileIO.makeDirectories(dir, mode: spec.access.directoryMode)
        if FileIO.mode(dir) != spec.access.directoryMode { try FileIO.setMode(dir, spec.access.directoryMode) }
    }
}
