import Foundation
import DeltaLake
import LakeStorage
import Parquet

/// Checks a saved plan before anything of it runs. A plan file is untrusted input (it travels as a
/// CI artifact and can be edited): its lifecycle actions must be the ones the current config and
/// registry give, every data action must carry its feed's current spec, every path must lie inside
/// its own feed's directory in the shape its action allows, and export windows must be the ones the
/// metadata gives. A plan that fails any check is refused whole.
struct SavedPlanValidator {
    let session: PlanSession
    let file: String
    /// Today's UTC day, by this machine's clock: what a saved plan expires must be past retention now.
    let today: Int

    func problems(_ plan: Plan) -> [Diagnostic] {
        var out: [String] = []
        let lifecycle = plan.actions.filter { $0.kind.phase <= 2 }
        do {
            let expected = try Planner(desired: session.desired, registry: session.registry).plan(now: plan.createdAt).actions
            let key = { (a: PlanAction) in "\(a.kind.rawValue) \(a.feed) \(a.spec.hash)" }
            if lifecycle.map(key) != expected.map(key) {
                out.append("its feed registrations, updates and archives are not the ones the configuration gives")
            }
        } catch {
            out.append("the configuration no longer plans: \(error.diagnostics.map(\.message).joined(separator: "; "))")
        }
        for action in plan.actions where action.kind.phase > 2 {
            out += problems(action).map { "\(action.kind.rawValue) \(action.feed): \($0)" }
        }
        return out.map { Diagnostic("refusing this saved plan: \($0)", file: file) }
    }

    func problems(_ action: PlanAction) -> [String] {
        guard let want = session.desired.feed(named: action.feed), !want.spec.archived,
              session.registry.feeds[action.feed]?.state == .active || lifecycleRegisters(action.feed) else {
            return ["no active feed of that name"]
        }
        guard action.spec.hash == want.spec.hash, action.feedType == want.spec.type else { return ["its spec is not the feed's spec"] }
        let spec = want.spec
        let directory = LakeLayout.dataDirectory(spec)
        let state = session.lake.feeds[spec.name]
        var out: [String] = []
        let quarantine = LakeLayout.quarantineDirectory(spec)
        // Cleanup and expiry reach the feed's quarantine directory too; `inQuarantine` says which.
        var inQuarantine = false
        func relative(_ p: PlanPath) -> String? {
            inQuarantine = false
            guard let path = try? LakePath(p.path) else {
                out.append("\"\(p.path)\" is \(LakePath.problem(in: p.path) ?? "not a lake path")")
                return nil
            }
            if spec.type == .stream, action.kind == .cleanup || action.kind == .expire, let r = path.relative(to: quarantine), !r.isEmpty {
                inQuarantine = true
                return r
            }
            guard let r = path.relative(to: directory), !(r.isEmpty && action.kind != .chmod) else {
                out.append("\"\(p.path)\" is not inside \(directory.value)")
                return nil
            }
            return r
        }
        let parts = { (r: String) in r.split(separator: "/", omittingEmptySubsequences: false).map(String.init) }
        switch action.kind {
        case .expire:
            let days = spec.retentionDays ?? Int.max
            if let newest = state?.scan.partitions.last, action.paths.contains(where: { $0.path == directory.value + "/" + newest.path }), !action.destructive {
                out.append("it expires the newest partition without being marked destructive")
            }
            for p in action.paths {
                guard let r = relative(p) else { continue }
                let c = parts(r)
                let shaped = c.count <= 3 && zip(c, ["year=", "month=", "day="]).allSatisfy { $0.hasPrefix($1) && Int($0.dropFirst($1.count)) != nil }
                guard shaped else { out.append("\"\(p.path)\" is not a day partition (or its month or year)"); continue }
                if c.count == 3, let y = Int(c[0].dropFirst(5)), let m = Int(c[1].dropFirst(6)), let d = Int(c[2].dropFirst(4)),
                   CivilDate.epochDay(year: y, month: m, day: d) >= today - days {
                    out.append("\"\(p.path)\" is not older than retention_days \(days)")
                }
            }
        case .prune:
            let versions = state?.metadata?.versions ?? []
            for p in action.paths {
                guard let r = relative(p) else { continue }
                guard let v = versions.first(where: { $0.file.path.asPath.directory == r }) else {
                    out.append("\"\(p.path)\" is not a version of the feed's metadata")
                    continue
                }
                if v.number == versions.last?.number && action.condition == nil { out.append("\"\(p.path)\" is the latest version") }
            }
        case .cleanup:
            let storage = session.storage
            for p in action.paths {
                guard let r = relative(p) else { continue }
                let isStaged = (try? LakePath(p.path)).flatMap(storage.stagedTarget) != nil
                let committedFiles = (inQuarantine ? state?.metadata?.quarantineFiles : state?.metadata?.files) ?? []
                let isOverlap = !inQuarantine && !r.contains("/") && r.hasPrefix("_overlap_") && r.hasSuffix(".bin")
                let isUncommitted = storage.capabilities.stagesInPlace && r.hasSuffix(".parquet") && !committedFiles.contains { $0.path == r }
                let version = spec.type == .table && !inQuarantine ? FeedDirectoryScan.versionNumber(r) : nil
                if let version, state?.metadata?.versions.contains(where: { $0.number == version }) == true {
                    out.append("\"\(p.path)\" is a committed version")
                } else if !isStaged && !isOverlap && !isUncommitted && version == nil {
                    out.append("\"\(p.path)\" is neither a staged leftover nor an overlap file")
                }
            }
            for p in action.abortUploads { _ = relative(p) }
            for p in action.publish {
                guard let r = relative(p) else { continue }
                let pending = (inQuarantine ? state?.metadata?.pendingQuarantine : state?.metadata?.pending) ?? []
                if !pending.contains(r) { out.append("\"\(p.path)\" is not pending in the feed's metadata") }
            }
        case .chmod:
            for p in action.paths { _ = relative(p) }
        case .tier:
            let target = spec.tierTarget(session.storage.capabilities.tiering)
            if action.tierTarget == nil || action.tierTarget != target {
                out.append("it tiers to \(action.tierTarget ?? "nothing"), the feed's tier here is \(target ?? "none")")
            }
            let days = spec.tierAfterDays ?? Int.max
            for p in action.paths {
                guard let r = relative(p) else { continue }
                let c = parts(r)
                guard c.count == 4, zip(c, ["year=", "month=", "day="]).allSatisfy({ $0.hasPrefix($1) && Int($0.dropFirst($1.count)) != nil }),
                      c[3].hasSuffix(".parquet"), !c[3].hasPrefix("."), !c[3].hasPrefix("_"),
                      let y = Int(c[0].dropFirst(5)), let m = Int(c[1].dropFirst(6)), let d = Int(c[2].dropFirst(4)) else {
                    out.append("\"\(p.path)\" is not a data file of a day partition")
                    continue
                }
                if CivilDate.epochDay(year: y, month: m, day: d) >= today - days {
                    out.append("\"\(p.path)\" is not older than tier_after_days \(days)")
                }
            }
        case .export:
            for p in action.paths {
                guard let r = relative(p) else { continue }
                if r != state?.metadata?.overlapFile { out.append("\"\(p.path)\" is not the feed's overlap file") }
            }
            out += windowProblems(action, spec: spec, metadata: state?.metadata)
        case .expireLog:
            let checkpoint = state?.scan.deltaLogFiles.filter(\.checkpoint).map(\.version).max() ?? -1
            for p in action.paths {
                guard let r = relative(p) else { continue }
                let c = parts(r)
                guard c.count == 2, c[0] == DeltaLog.directoryName,
                      let v = DeltaLog.version(ofCommit: c[1]) ?? DeltaLog.version(ofCheckpoint: c[1]) else {
                    out.append("\"\(p.path)\" is not a commit or checkpoint of the feed's Delta log")
                    continue
                }
                if v >= checkpoint { out.append("\"\(p.path)\" is not before the log's latest checkpoint") }
            }
        case .convert:
            if !action.paths.isEmpty { out.append("a convert deletes nothing") }
            if spec.tableFormat != .delta { out.append("the feed is not a Delta feed") }
        case .snapshot:
            if !action.paths.isEmpty { out.append("a snapshot deletes nothing") }
            if action.window?.from != nil { out.append("a snapshot has no lower bound") }
        default:
            break
        }
        if action.kind != .cleanup && !action.publish.isEmpty { out.append("only a cleanup publishes files") }
        if action.tierTarget != nil && action.kind != .tier { out.append("only a tier moves files to a tier") }
        if action.condition != nil && action.kind != .prune { out.append("only a prune can wait for a new version") }
        return out
    }

    /// The window's lower bound is where the metadata's watermark and the lateness put it: an edited
    /// one could read again rows that were exported.
    func windowProblems(_ action: PlanAction, spec: FeedSpec, metadata: FeedMetadata?) -> [String] {
        guard let window = action.window else { return ["an export needs a window"] }
        let expected = Planner.windowStart(spec: spec, metadata: metadata)
        var out: [String] = []
        if window.from != expected { out.append("its window starts at \(window.from.map(String.init) ?? "the first event"), the metadata says \(expected.map(String.init) ?? "the first event")") }
        if let w = metadata?.watermark, window.to < w { out.append("its window ends before the watermark") }
        if let day = window.day, CivilDate.epochDay(isoDate: day) == nil { out.append("its day \(day) is not YYYY-MM-DD") }
        return out
    }

    func lifecycleRegisters(_ feed: String) -> Bool {
        session.registry.feeds[feed] == nil || session.registry.feeds[feed]?.state == .archived
    }
}
