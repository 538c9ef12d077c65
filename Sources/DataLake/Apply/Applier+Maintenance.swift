import DeltaLake
import Foundation
import LakeStorage

extension Applier {
    func loadMetadata(_ spec: FeedSpec) throws -> FeedMetadata? { try FeedMetadata.load(spec, from: storage) }

    /// The commit point of every data change: the metadata, written durably and atomically.
    func writeMetadata(_ metadata: FeedMetadata, for spec: FeedSpec) throws {
        try storage.put(LakeLayout.metadata(spec), Array(metadata.json.rendered().utf8), mode: spec.access.fileMode)
    }

    /// A plan path as a lake path inside `spec`'s directory, or an error: a saved plan is untrusted.
    func feedPath(_ path: PlanPath, of spec: FeedSpec) throws -> (path: LakePath, relative: String) {
        let lakePath = try LakePath(path.path)
        guard let relative = lakePath.relative(to: LakeLayout.dataDirectory(spec)), !relative.isEmpty else {
            throw DataLakeError("\(path.path) is not inside feed \(spec.name)'s directory")
        }
        return (lakePath, relative)
    }

    /// A plan path inside `spec`'s directory or its quarantine directory (`quarantine` says which),
    /// or an error.
    func feedOrQuarantinePath(_ path: PlanPath, of spec: FeedSpec) throws -> (path: LakePath, relative: String, quarantine: Bool) {
        let lakePath = try LakePath(path.path)
        if spec.type == .stream, let relative = lakePath.relative(to: LakeLayout.quarantineDirectory(spec)), !relative.isEmpty {
            return (lakePath, relative, true)
        }
        let (p, relative) = try feedPath(path, of: spec)
        return (p, relative, false)
    }

    /// Publishes the committed files an interrupted export left (roll forward), then deletes the
    /// listed leftovers.
    func cleanup(_ action: PlanAction) throws {
        let spec = action.spec
        var metadata = try loadMetadata(spec)
        if !action.publish.isEmpty, var m = metadata {
            let listed = try action.publish.map { try feedOrQuarantinePath($0, of: spec) }
            guard Set(listed.filter { !$0.quarantine }.map(\.relative)) == Set(m.pending),
                  Set(listed.filter(\.quarantine).map(\.relative)) == Set(m.pendingQuarantine) else {
                throw DataLakeError("the feed's pending files are not the ones this plan publishes; run `datalake plan` again")
            }
            try FeedCommit.publish(m.pending, of: spec, in: storage)
            try FeedCommit.publish(m.pendingQuarantine, in: LakeLayout.quarantineDirectory(spec), storage: storage)
            try FeedCommit.rollForwardDelta(&m, of: spec, in: storage, now: nowMillis)
            m.pending = []
            m.pendingQuarantine = []
            try writeMetadata(m, for: spec)
            try DeltaCheckpointer(storage: storage, spec: spec, now: nowMillis).checkpointIfDue(m)
            metadata = m
        }
        // Never delete what the metadata commits, whatever a saved plan says.
        let committed = Set((metadata?.pending ?? []) + (metadata?.files.map(\.path) ?? []) + (metadata?.overlapFile.map { [$0] } ?? []))
        let committedQuarantine = Set((metadata?.pendingQuarantine ?? []) + (metadata?.quarantineFiles.map(\.path) ?? []))
        let committedVersions = Set(metadata?.versions.map(\.number) ?? [])
        var doomed: [LakePath] = []
        var directories: [LakePath] = []
        for path in action.paths {
            let (lakePath, relative, quarantine) = try feedOrQuarantinePath(path, of: spec)
            if (quarantine ? committedQuarantine : committed).contains(relative) {
                throw DataLakeError("\(path.path) is committed by the feed's metadata; not deleting it")
            }
            if spec.type == .table, !quarantine, let n = FeedDirectoryScan.versionNumber(relative) {
                if committedVersions.contains(n) { throw DataLakeError("\(path.path) is a committed version; not removing it") }
                directories.append(lakePath)
            } else {
                doomed.append(lakePath)
            }
        }
        try storage.delete(doomed)
        // Only once empty: a file that came into it since the plan stays, and so does the directory.
        for directory in directories { _ = try storage.removeDirectoryIfEmpty(directory) }
        try storage.abortUploads(try action.abortUploads.map { try feedOrQuarantinePath($0, of: spec).path })
    }

    /// Drops table versions from the metadata first (readers follow it), then deletes their directories.
    func prune(_ action: PlanAction) throws {
        let spec = action.spec
        let doomed = try action.paths.map { try feedPath($0, of: spec) }
        let directories = Set(doomed.map(\.relative))
        if var metadata = try loadMetadata(spec) {
            metadata.versions.removeAll { directories.contains($0.file.path.asPath.directory) }
            metadata.files.removeAll { directories.contains($0.path.asPath.directory) }
            try writeMetadata(metadata, for: spec)
        }
        for path in doomed { try storage.deleteTree(path.path) }
    }

    /// Drops expired day partitions from the metadata first, then deletes them, then the month and
    /// year directories the plan lists (only when they are empty by then).
    func expire(_ action: PlanAction) throws {
        let spec = action.spec
        let listed = try action.paths.map { try feedOrQuarantinePath($0, of: spec) }
        let doomed = listed.filter { !$0.quarantine }.map { (path: $0.path, relative: $0.relative) }
        let quarantined = listed.filter(\.quarantine)
        let days = doomed.filter { $0.relative.split(separator: "/").count == 3 }
        let dayDirectories = Set(days.map(\.relative))
        let quarantineDays = quarantined.filter { $0.relative.split(separator: "/").count == 3 }
        let quarantineDirectories = Set(quarantineDays.map(\.relative))
        if var metadata = try loadMetadata(spec) {
            metadata.quarantineFiles.removeAll { quarantineDirectories.contains($0.path.asPath.directory) }
            if spec.tableFormat == .delta {
                // Delta readers stop seeing the files (a commit of removes) before they are deleted.
                let committer = DeltaCommitter(storage: storage, spec: spec, now: nowMillis)
                _ = try committer.catchUp(&metadata)
                let still = metadata.files.filter { dayDirectories.contains($0.path.asPath.directory) }
                if !still.isEmpty, try committer.log.latestVersion() != nil {
                    var change = DeltaChange(fields: try DeltaChange.fields(of: metadata), operation: "DELETE", writesMetadata: false)
                    change.removed = still
                    let txn = (metadata.deltaTxn ?? 0) + 1
                    metadata.deltaVersion = try committer.commit(change, txn: txn, metadata: metadata)
                    metadata.deltaTxn = txn
                }
            }
            metadata.files.removeAll { dayDirectories.contains($0.path.asPath.directory) }
            try writeMetadata(metadata, for: spec)
            try DeltaCheckpointer(storage: storage, spec: spec, now: nowMillis).checkpointIfDue(metadata)
        }
        for day in days { try storage.deleteTree(day.path) }
        for day in quarantineDays { try storage.deleteTree(day.path) }
        for parent in listed where parent.relative.split(separator: "/").count < 3 {
            _ = try storage.removeDirectoryIfEmpty(parent.path)
        }
    }

    /// The first commit of a feed's Delta log, adding the files its metadata lists (a stream's
    /// every file, a table's latest version). Nothing when the log has begun since the plan.
    func convert(_ action: PlanAction) throws {
        let spec = action.spec
        let committer = DeltaCommitter(storage: storage, spec: spec, now: nowMillis)
        guard var metadata = try loadMetadata(spec), try committer.log.latestVersion() == nil else { return }
        guard !metadata.hasPending else { throw DataLakeError("\(spec.name) has an unfinished commit: apply the plan's cleanup first") }
        var change = DeltaChange(fields: try DeltaChange.fields(of: metadata), operation: "CONVERT", writesMetadata: true)
        let files = spec.type == .stream ? metadata.files : (metadata.latestVersion.map { [$0.file] } ?? [])
        change.added = files.map { .init(relativePath: $0.path, rows: $0.rows, bytes: $0.bytes) }
        if metadata.deltaTableId == nil { metadata.deltaTableId = UUID().uuidString.lowercased() }
        let txn = (metadata.deltaTxn ?? 0) + 1
        metadata.deltaVersion = try committer.commit(change, txn: txn, metadata: metadata)
        metadata.deltaTxn = txn
        try writeMetadata(metadata, for: spec)
        try DeltaCheckpointer(storage: storage, spec: spec, now: nowMillis).checkpointIfDue(metadata)
    }

    /// Deletes the listed log entries, each checked again to lie before the latest checkpoint there
    /// is now (the state readers start from), so that no reader loses the log it needs.
    func expireLog(_ action: PlanAction) throws {
        let spec = action.spec
        let log = DeltaLog(storage: storage, table: LakeLayout.dataDirectory(spec))
        let checkpoints = try storage.list(under: log.directory).compactMap { DeltaLog.version(ofCheckpoint: $0.path.name) }
        guard let latest = checkpoints.max() else { throw DataLakeError("\(spec.name)'s Delta log has no checkpoint; not deleting its entries") }
        var doomed: [LakePath] = []
        for path in action.paths {
            let (lakePath, relative) = try feedPath(path, of: spec)
            let parts = relative.split(separator: "/").map(String.init)
            guard parts.count == 2, parts[0] == DeltaLog.directoryName,
                  let v = DeltaLog.version(ofCommit: parts[1]) ?? DeltaLog.version(ofCheckpoint: parts[1]), v < latest else {
                throw DataLakeError("\(path.path) is not a log entry before the checkpoint at version \(latest); not deleting it")
            }
            doomed.append(lakePath)
        }
        try storage.delete(doomed)
    }

    var nowMillis: Int64 { Int64(clock.now().timeIntervalSince1970 * 1000) }

    /// Moves the listed files to the plan's tier. A file gone since the plan (expired, or moved by
    /// an earlier try) is skipped; the metadata does not change, since files keep their lake paths.
    func tier(_ action: PlanAction) throws {
        guard let target = action.tierTarget else { throw DataLakeError("tier \(action.feed): the plan names no tier") }
        let files = try action.paths.map { try feedPath($0, of: action.spec) }
        for file in files where file.relative.split(separator: "/").count != 4 || !file.relative.hasSuffix(".parquet") {
            throw DataLakeError("\(file.path.value) is not a data file of a day partition; not tiering it")
        }
        try storage.tier(files.map(\.path), to: target)
    }

    /// Modes back to the access level; a path deleted earlier in this apply is skipped, and a
    /// symbolic link is refused by the storage, never followed.
    func chmod(_ action: PlanAction) throws {
        guard storage.capabilities.modes else { return }
        for path in action.paths {
            let lakePath = try LakePath(path.path)
            guard lakePath.isWithin(LakeLayout.dataDirectory(action.spec)) else {
                throw DataLakeError("\(path.path) is not inside feed \(action.spec.name)'s directory")
            }
            guard let entry = try storage.entry(at: lakePath) else { continue }
            let mode = entry.kind == .directory ? action.spec.access.directoryMode : action.spec.access.fileMode
            try storage.setMode(lakePath, mode)
        }
    }
}
