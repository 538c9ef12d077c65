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
        let metadata = try FeedMetadata.load(spec, from: storage) ?? FeedMetadata(source: spec.source, type: spec.type)
        guard metadata.pending.isEmpty else {
            throw DataLakeError("\(spec.type.rawValue) \(spec.name) has an unfinished commit (\(metadata.pending.count) pending files): apply the plan's cleanup first")
        }
        return (commit, metadata)
    }

    func write(_ metadata: FeedMetadata) throws {
        try storage.put(LakeLayout.metadata(spec), Array(metadata.json.rendered().utf8), mode: spec.access.fileMode)
    }

    func commit(_ metadata: inout FeedMetadata, staged: [PartitionFileWriter.StagedFile]) throws {
        metadata.pending = staged.map(\.relativePath)
        try write(metadata)
        Failpoint.pause("after-commit")
        try Self.publish(metadata.pending, of: spec, in: storage)
        metadata.pending = []
        try write(metadata)
    }

    /// Publishes committed files (an export's own, or those an interrupted one left pending). A
    /// committed file that is neither staged nor published is lost: an error, never skipped.
    static func publish(_ pending: [String], of spec: FeedSpec, in storage: any LakeStorage) throws {
        let directory = LakeLayout.dataDirectory(spec)
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
    func makeDirectories(_ relative: String) throws -> [LakePath] {
        let target = feedDirectory.appending(relative)
        var missing: [LakePath] = []
        if storage.capabilities.directories {
            var level: LakePath? = target
            while let l = level, l != feedDirectory, try storage.entry(at: l) == nil {
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
