import DeltaLake
import LakeStorage

/// Plans the data actions that need no ksqlDB: finishing or cleaning up interrupted exports, table
/// versions past versions_to_keep, stream partitions past retention_days or tier_after_days, and
/// modes drifting from the access level. Every path such an action deletes, publishes or changes is listed in it.
package struct MaintenancePlanner {
    /// Today's UTC day number (days since 1970-01-01): retention is judged by partition date.
    package var today: Int
    /// What the backend can do (no chmod where it has no modes).
    package var capabilities: StorageCapabilities

    package init(today: Int, capabilities: StorageCapabilities) {
        self.today = today
        self.capabilities = capabilities
    }

    /// Actions for one active feed with `spec` (its spec after this plan's lifecycle actions).
    /// `snapshots` says whether this plan also snapshots the feed (then the version that snapshot
    /// would push out is pruned after it, when it makes one).
    package func actions(for spec: FeedSpec, state: LakeState.Feed, snapshots: Bool) -> [PlanAction] {
        var actions: [PlanAction] = []
        let scan = state.scan
        guard scan.exists else { return actions }
        let prefix = LakeLayout.dataDirectory(spec).value
        func planPath(_ relative: String) -> PlanPath {
            PlanPath(path: relative.isEmpty ? prefix : prefix + "/" + relative, bytes: scan.size(of: relative))
        }
        let pending = state.metadata?.pending ?? []
        let pendingSet = Set(pending)

        var leftovers = scan.staged.filter { !pendingSet.contains($0.target) }.map(\.path)
        // An overlap file written by an export that died before its metadata commit.
        leftovers += scan.entries.filter { !$0.isDirectory && $0.path.hasPrefix("_overlap_") && $0.path != state.metadata?.overlapFile }.map(\.path)
        if capabilities.stagesInPlace {
            // No hidden names on an object store: a data file of a partition that no commit names is
            // what an export that died before its commit uploaded.
            let committed = Set((state.metadata?.files.map(\.path) ?? []) + pending)
            leftovers += (scan.partitions.flatMap { p in p.files.map { p.path + "/" + $0 } } + scan.versions.flatMap { v in v.files.map { v.path + "/" + $0 } })
                .filter { $0.hasSuffix(".parquet") && !committed.contains($0) }
        }
        // The version directory of a snapshot interrupted before its commit: listed itself (after
        // the staged file it may hold), so that the lake ends as it was and no empty version shows.
        if spec.type == .table, capabilities.directories {
            leftovers += scan.uncommittedVersionDirectories(committed: state.metadata?.versions.map(\.number) ?? [])
        }
        // The quarantine's share of an interrupted export, the same way (`quarantine/<feed>`).
        let q = state.quarantine ?? FeedDirectoryScan(root: LakeLayout.quarantineDirectory(spec), exists: false)
        let qPrefix = q.root.value
        let pendingQuarantine = state.metadata?.pendingQuarantine ?? []
        let pendingQuarantineSet = Set(pendingQuarantine)
        var quarantineLeftovers = q.staged.filter { !pendingQuarantineSet.contains($0.target) }.map(\.path)
        if capabilities.stagesInPlace {
            let committed = Set((state.metadata?.quarantineFiles.map(\.path) ?? []) + pendingQuarantine)
            quarantineLeftovers += q.partitions.flatMap { p in p.files.map { p.path + "/" + $0 } }.filter { $0.hasSuffix(".parquet") && !committed.contains($0) }
        }
        func quarantinePath(_ relative: String) -> PlanPath { PlanPath(path: qPrefix + "/" + relative, bytes: q.size(of: relative)) }
        let finishing = pending.count + pendingQuarantine.count
        if !leftovers.isEmpty || finishing > 0 || !scan.incompleteUploads.isEmpty || !quarantineLeftovers.isEmpty || !q.incompleteUploads.isEmpty {
            var a = PlanAction(kind: .cleanup, feed: spec.name, feedType: spec.type, spec: spec,
                               reason: finishing == 0 ? "leftovers of an interrupted export"
                                   : "finish \(Plural.count(finishing, "committed file")) of an interrupted export")
            a.paths = leftovers.sorted().map(planPath) + quarantineLeftovers.sorted().map(quarantinePath)
            a.abortUploads = scan.incompleteUploads.map { PlanPath(path: prefix + "/" + $0, bytes: 0) }
                + q.incompleteUploads.map { PlanPath(path: qPrefix + "/" + $0, bytes: 0) }
            a.publish = pending.map { file in
                PlanPath(path: prefix + "/" + file, bytes: scan.size(of: scan.staged.first(where: { $0.target == file })?.path ?? file))
            } + pendingQuarantine.map { file in
                PlanPath(path: qPrefix + "/" + file, bytes: q.size(of: q.staged.first(where: { $0.target == file })?.path ?? file))
            }
            actions.append(a)
        }

        if spec.tableFormat == .delta, scan.deltaVersions.isEmpty, let metadata = state.metadata, !metadata.files.isEmpty {
            let files = spec.type == .stream ? metadata.files.count : 1
            actions.append(PlanAction(kind: .convert, feed: spec.name, feedType: spec.type, spec: spec,
                                      reason: "a Delta log whose first commit adds the \(Plural.count(files, "file")) already exported"
                                          + (spec.type == .table ? " (the latest version)" : "")))
        }

        if spec.type == .table, let keep = spec.versionsToKeep, let versions = state.metadata?.versions {
            let excess = max(0, versions.count - keep)
            if excess > 0 {
                var a = PlanAction(kind: .prune, feed: spec.name, feedType: .table, spec: spec, reason: "keep the last \(Plural.count(keep, "version"))")
                a.paths = versions.prefix(excess).map { planPath($0.file.path.asPath.directory) }
                actions.append(a)
            }
            // The snapshot's new version, if it makes one, pushes out the oldest version it keeps.
            if snapshots, versions.count - excess == keep, let oldest = versions.dropFirst(excess).first {
                var a = PlanAction(kind: .prune, feed: spec.name, feedType: .table, spec: spec,
                                   reason: "keep the last \(Plural.count(keep, "version")), once the snapshot makes a new one")
                a.paths = [planPath(oldest.file.path.asPath.directory)]
                a.condition = .newVersion
                actions.append(a)
            }
        }

        if spec.type == .stream, let days = spec.retentionDays {
            let expired = scan.partitions.filter { $0.epochDay < today - days }
            // Quarantined rows are the feed's data too: they go with the same retention.
            let expiredQuarantine = q.partitions.filter { $0.epochDay < today - days }
            let quarantinePaths = expiredQuarantine.map { quarantinePath($0.path) }
                + emptiedParents(of: Set(expiredQuarantine.map(\.path)), scan: q).map(quarantinePath)
            if expired.isEmpty, !quarantinePaths.isEmpty {
                var a = PlanAction(kind: .expire, feed: spec.name, feedType: .stream, spec: spec, reason: "quarantined rows older than \(Plural.count(days, "day"))")
                a.paths = quarantinePaths
                actions.append(a)
            }
            if !expired.isEmpty {
                // Expiring the newest partition (and so every one) is what a clock far in the future
                // does: it takes an explicit --allow-destroy, and a protected feed never allows it.
                let destroys = expired.last == scan.partitions.last
                var a = PlanAction(kind: .expire, feed: spec.name, feedType: .stream, spec: spec,
                                   reason: "older than \(Plural.count(days, "day"))" + (destroys ? "; DESTRUCTIVE: this includes the newest partition" : ""))
                a.destructive = destroys
                a.paths = expired.map { planPath($0.path) } + emptiedParents(of: Set(expired.map(\.path)), scan: scan).map(planPath) + quarantinePaths
                actions.append(a)
            }
        }

        if spec.type == .stream, let days = spec.tierAfterDays, let target = spec.tierTarget(capabilities.tiering) {
            let expiring = spec.retentionDays.map { today - $0 } ?? Int.min
            let files = scan.partitions.filter { $0.epochDay < today - days && $0.epochDay >= expiring }
                .flatMap { p in p.files.filter { p.tiers[$0] != target }.map { p.path + "/" + $0 } }
            if !files.isEmpty {
                var a = PlanAction(kind: .tier, feed: spec.name, feedType: .stream, spec: spec,
                                   reason: "older than \(Plural.count(days, "day")), to \(target == Tiering.secondRootName ? "tier_root" : target)")
                a.paths = files.map(planPath)
                a.tierTarget = target
                actions.append(a)
            }
        }

        if spec.tableFormat == .delta, let a = logExpiry(spec, scan: scan, planPath: planPath) { actions.append(a) }

        if capabilities.modes, let chmod = modeDrift(spec, scan: scan, doomed: actions) { actions.append(chmod) }
        return actions
    }

    /// The log entries before the latest checkpoint, older than log_retention_days (by when they
    /// were written, as delta-rs and Spark judge it): readers start from that checkpoint, so only
    /// time travel to those versions goes, which is what the retention says.
    func logExpiry(_ spec: FeedSpec, scan: FeedDirectoryScan, planPath: (String) -> PlanPath) -> PlanAction? {
        guard let checkpoint = scan.deltaLogFiles.filter(\.checkpoint).map(\.version).max() else { return nil }
        let days = spec.logRetentionDays ?? FeedSpec.defaultLogRetentionDays
        let cutoff = Int64(today - days) * 86_400_000
        let old = scan.deltaLogFiles.filter { $0.version < checkpoint && ($0.modified ?? Int64.max) < cutoff }.map(\.name).sorted()
        guard !old.isEmpty else { return nil }
        var a = PlanAction(kind: .expireLog, feed: spec.name, feedType: spec.type, spec: spec,
                           reason: "log entries older than \(Plural.count(days, "day")), before the checkpoint at version \(checkpoint)")
        a.paths = old.map { planPath(DeltaLog.directoryName + "/" + $0) }
        return a
    }

    /// The month and year directories that hold nothing once `days` are deleted, deepest first.
    func emptiedParents(of days: Set<String>, scan: FeedDirectoryScan) -> [String] {
        var gone = days
        var out: [String] = []
        let months = Set(days.map { $0.asPath.directory })
        for month in months.sorted() where scan.children(of: month).allSatisfy({ gone.contains($0) }) {
            gone.insert(month)
            out.append(month)
        }
        let years = Set(out.map { $0.asPath.directory })
        for year in years.sorted() where scan.children(of: year).allSatisfy({ gone.contains($0) }) {
            out.append(year)
        }
        return out
    }

    /// A chmod of every entry whose mode differs from the access level, leaving out paths this plan
    /// deletes; a symbolic link is never changed (the plan warns about it instead).
    func modeDrift(_ spec: FeedSpec, scan: FeedDirectoryScan, doomed actions: [PlanAction]) -> PlanAction? {
        let prefix = LakeLayout.dataDirectory(spec).value
        let doomed = Set(actions.filter { $0.kind == .prune || $0.kind == .expire || $0.kind == .cleanup }.flatMap(\.paths)
            .map { String($0.path.dropFirst(prefix.count + 1)) })
        let drift = scan.entries.filter { entry in
            guard let mode = entry.mode else { return false }
            if entry.path.asPath.name.hasPrefix(".") { return false }
            var ancestor = entry.path
            while !doomed.isEmpty && !ancestor.isEmpty {
                if doomed.contains(ancestor) { return false }
                ancestor = ancestor.asPath.directory
            }
            return mode != (entry.isDirectory ? spec.access.directoryMode : spec.access.fileMode)
        }
        guard !drift.isEmpty else { return nil }
        var a = PlanAction(kind: .chmod, feed: spec.name, feedType: spec.type, spec: spec,
                           reason: "\(spec.access.rawValue): directories \(Self.octal(spec.access.directoryMode)), files \(Self.octal(spec.access.fileMode))")
        a.paths = drift.map { PlanPath(path: $0.path.isEmpty ? prefix : prefix + "/" + $0.path, bytes: 0) }
        return a
    }

    static func octal(_ mode: UInt16) -> String { "0" + String(mode, radix: 8) }
}
