import Foundation
import LakeStorage

/// The commit protocol shared by exports and snapshots: files are staged (durable, not visible),
/// the metadata that lists them as pending is written — the commit point — then they are published
/// and the metadata rewritten without pending. A crash before the commit is rolled back by the
/// next plan's clean-up, one after it rolled forward by the same clean-up (`publish`).
struct FeedCommit {
    let storage: any LakeStorage
    let spec: FeedSpec
    var feedDirectory: LakePath { LakeLayout.dataDirectory(spec) }

    /// Opens a feed for an export: its directory (created with the access mode) and its committed
    /// metadata. A commit left pending is for the plan's clean-up to finish, before any export.
    static func open(_ spec: FeedSpec, storage: any LakeStorage) throws -> (FeedCommit, FeedMetadata) {
        let commit = FeedCommit(storage: storage, spec: spec)
        try storage.makeDirectories(commit.feedDirectory, mode: spec.access.directoryMode)
        var metadata = try FeedMetadata.load(spec, from: storage) ?? FeedMetadata(source: spec.source, type: spec.type)
        guard !metadata.hasPending else {
            let n = metadata.pending.count + metadata.pendingQuarantine.count
            throw DataLakeError("\(spec.type.rawValue) \(spec.name) has an unfinished commit (\(n) pending file\(n == 1 ? "" : "s")): apply the plan's cleanup first")
        }
        if spec.tableFormat == .delta {
            let committer = DeltaCommitter(storage: storage, spec: spec, now: 0)
            if try committer.catchUp(&metadata) { try commit.write(metadata) }
            if !metadata.files.isEmpty, try committer.log.latestVersion() == nil {
                throw DataLakeError("\(spec.type.rawValue) \(spec.name) has files but no Delta log yet: apply the plan's convert first")
            }
        }
        return (commit, metadata)
    }

    func write(_ metadata: FeedMetadata) throws {
        try storage.put(LakeLayout.metadata(spec), Array(metadata.json.rendered().utf8), mode: spec.access.fileMode)
    }

    /// Commits `staged`: the metadata that lists them as pending (the decision), their publication,
    /// the Delta log commit when the feed is Delta (what Delta readers see, at once), then the
    /// metadata without pending.
    /// `quarantined`: staged under `quarantine/<feed>`, committed in the same step (one metadata write
    /// decides both), never part of the Delta table.
    func commit(_ metadata: inout FeedMetadata, staged: [PartitionFileWriter.StagedFile], quarantined: [PartitionFileWriter.StagedFile] = [],
                delta: DeltaChange? = nil, now: Int64) throws {
        metadata.pending = staged.map(\.relativePath)
        metadata.pendingQuarantine = quarantined.map(\.relativePath)
        if delta != nil {
            metadata.deltaTxn = (metadata.deltaTxn ?? 0) + 1
            if metadata.deltaTableId == nil { metadata.deltaTableId = UUID().uuidString.lowercased() }
        }
        try write(metadata)
        Failpoint.pause("after-commit")
        try Self.publish(metadata.pending, of: spec, in: storage)
        try Self.publish(metadata.pendingQuarantine, in: LakeLayout.quarantineDirectory(spec), storage: storage)
        if let delta {
            metadata.deltaVersion = try DeltaCommitter(storage: storage, spec: spec, now: now).commit(delta, txn: metadata.deltaTxn!, metadata: metadata)
        }
        metadata.pending = []
        metadata.pendingQuarantine = []
        try write(metadata)
        if delta != nil { try DeltaCheckpointer(storage: storage, spec: spec, now: now).checkpointIfDue(metadata) }
    }

    /// The Delta commit of files an interrupted export left pending, rebuilt from the metadata
    /// (row counts, no column bounds), unless the log already holds it.
    static func rollForwardDelta(_ metadata: inout FeedMetadata, of spec: FeedSpec, in storage: any LakeStorage, now: Int64) throws {
        guard spec.tableFormat == .delta, let txn = metadata.deltaTxn, !metadata.pending.isEmpty else { return }
        var change = DeltaChange(fields: try DeltaChange.fields(of: metadata), operation: "WRITE",
                                 mode: spec.type == .stream ? "Append" : "Overwrite", writesMetadata: true)
        let pending = Set(metadata.pending)
        change.added = metadata.files.filter { pending.contains($0.path) }.map { .init(relativePath: $0.path, rows: $0.rows, bytes: $0.bytes) }
        if spec.type == .table, metadata.versions.count >= 2 { change.removed = [metadata.versions[metadata.versions.count - 2].file] }
        metadata.deltaVersion = try DeltaCommitter(storage: storage, spec: spec, now: now).commit(change, txn: txn, metadata: metadata)
    }

    /// Publishes committed files (an export's own, or those an interrupted one left pending). A
    /// committed file that is neither staged nor published is lost: an error, never skipped.
    static func publish(_ pending: [String], of spec: FeedSpec, in storage: any LakeStorage) throws {
        try publish(pending, in: LakeLayout.dataDirectory(spec), storage: storage)
    }

    static func publish(_ pending: [String], in directory: LakePath, storage: any LakeStorage) throws {
        for relative in pending {
            let path = try directory.appending(checked: relative)
            if try storage.publish(path) == .missing {
                throw DataLakeError("\(storage.describe(path)): committed by the feed's metadata but neither staged nor present; the file is lost")
            }
            Failpoint.pause("during-publish")
        }
    }

    /// Creates `relative` (e.g. `year=2025/month=01/day=15`) under the feed directory, each level with
    /// the access mode; returns the levels it created, deepest first (what an abort may remove).
    @discardableResult
    func makeDirectories(_ relative: String, under base: LakePath? = nil) throws -> [LakePath] {
        let top = base ?? feedDirectory
        let target = top.appending(relative)
        var missing: [LakePath] = []
        if storage.capabilities.directories {
            var level: LakePath? = target
            // The quarantine's own directories (`quarantine/`, `quarantine/<feed>`) are created here too.
            let stop = base == nil ? feedDirectory : LakePath.root
            while let l = level, l != stop, try storage.entry(at: l) == nil {
                missing.append(l)
                level = l.parent
            }
        }
        try storage.makeDirectories(target, mode: spec.access.directoryMode)
        return missing
    }

    /// Removes directories an aborted export created, when they are empty.
    func removeCreated(_ directories: [LakePath]) {
        for d in directories.sorted(by: { $0.components.count > $1.components.count }) { _ = try? storage.removeDirectoryIfEmpty(d) }
    }
}
