/// Plans the data actions that need no ksqlDB: clean-up of interrupted exports, table versions past
/// versions_to_keep, stream partitions past retention_days, and modes drifting from the access level.
package struct MaintenancePlanner {
    package var layout: LakeLayout
    /// Today's UTC day number (days since 1970-01-01): retention is judged by partition date.
    package var today: Int

    package init(layout: LakeLayout, today: Int) {
        self.layout = layout
        self.today = today
    }

    /// Actions for one active feed with `spec` (its spec after this plan's lifecycle actions).
    package func actions(for spec: FeedSpec, state: LakeState.Feed) -> [PlanAction] {
        var actions: [PlanAction] = []
        let scan = state.scan
        guard scan.exists else { return actions }
        let prefix = layout.relativeDataDirectory(spec)
        let pending = Set(state.metadata?.pending ?? [])

        var leftovers = scan.temporaries.filter { !pending.contains(Self.finalName(ofTemporary: $0)) }
        // An overlap file written by an export that died before its metadata commit.
        leftovers += scan.entries.filter { !$0.isDirectory && $0.path.hasPrefix("_overlap_") && $0.path != state.metadata?.overlapFile }.map(\.path)
        if !leftovers.isEmpty || !pending.isEmpty {
            var a = PlanAction(kind: .cleanup, feed: spec.name, feedType: spec.type, spec: spec,
                               reason: pending.isEmpty ? "leftovers of an interrupted export" : "finish \(pending.count) committed file(s) of an interrupted export")
            a.paths = leftovers.map { PlanPath(path: prefix + "/" + $0, bytes: scan.size(of: $0)) }
            actions.append(a)
        }

        if spec.type == .table, let keep = spec.versionsToKeep, let versions = state.metadata?.versions, versions.count > keep {
            var a = PlanAction(kind: .prune, feed: spec.name, feedType: .table, spec: spec,
                               reason: "keep the last \(keep) versions")
            a.paths = versions.prefix(versions.count - keep).map {
                let dir = $0.file.path.asPath.directory
                return PlanPath(path: prefix + "/" + dir, bytes: scan.size(of: dir))
            }
            actions.append(a)
        }

        if spec.type == .stream, let days = spec.retentionDays {
            let expired = scan.partitions.filter { $0.epochDay < today - days }
            if !expired.isEmpty {
                var a = PlanAction(kind: .expire, feed: spec.name, feedType: .stream, spec: spec,
                                   reason: "older than \(days) days")
                a.paths = expired.map { PlanPath(path: prefix + "/" + $0.path, bytes: scan.size(of: $0.path)) }
                actions.append(a)
            }
        }

        // Paths this plan deletes need no chmod.
        let doomed = Set(actions.filter { $0.kind == .prune || $0.kind == .expire }.flatMap(\.paths).map { String($0.path.dropFirst(prefix.count + 1)) })
        let drift = scan.entries.filter { entry in
            let name = entry.path.asPath.name
            if name.hasPrefix(".") { return false }
            if !doomed.isEmpty {
                var ancestor = entry.path
                while !ancestor.isEmpty {
                    if doomed.contains(ancestor) { return false }
                    ancestor = ancestor.asPath.directory
                }
            }
            return entry.mode != (entry.isDirectory ? spec.access.directoryMode : spec.access.fileMode)
        }
        if !drift.isEmpty {
            var a = PlanAction(kind: .chmod, feed: spec.name, feedType: spec.type, spec: spec,
                               reason: "\(spec.access.rawValue): directories \(Self.octal(spec.access.directoryMode)), files \(Self.octal(spec.access.fileMode))")
            a.paths = drift.map { PlanPath(path: $0.path.isEmpty ? prefix : prefix + "/" + $0.path, bytes: 0) }
            actions.append(a)
        }
        return actions
    }

    /// `dir/.name.tmp` → `dir/name`.
    package static func finalName(ofTemporary path: String) -> String {
        let p = path.asPath
        var name = p.name
        if name.hasPrefix(".") { name.removeFirst() }
        if name.hasSuffix(".tmp") { name.removeLast(4) }
        return p.directory.isEmpty ? name : p.directory + "/" + name
    }

    /// `dir/name` → `dir/.name.tmp`.
    package static func temporaryName(of path: String) -> String {
        let p = path.asPath
        return (p.directory.isEmpty ? "" : p.directory + "/") + "." + p.name + ".tmp"
    }

    static func octal(_ mode: UInt16) -> String { "0" + String(mode, radix: 8) }
}
