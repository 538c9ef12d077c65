/// The commit protocol shared by exports and snapshots: files are fsynced under hidden names, the
/// metadata that lists them (as pending) is written — the commit point — then they are renamed and
/// the metadata rewritten without pending. A crash before the commit is rolled back by clean-up, one
/// after it rolled forward.
struct FeedCommit {
    let feedDirectory: String
    let fileMode: UInt16

    /// Opens a feed for an export: its directory (created with the access mode) and its committed
    /// metadata, with any renames an interrupted commit left pending finished first.
    static func open(_ spec: FeedSpec, layout: LakeLayout) throws -> (FeedCommit, FeedMetadata) {
        let commit = FeedCommit(feedDirectory: layout.dataDirectory(spec.name, type: spec.type), fileMode: spec.access.fileMode)
        try commit.makeDirectories("", mode: spec.access.directoryMode)
        let path = commit.feedDirectory + "/" + FeedMetadata.fileName
        var metadata = FileIO.exists(path) ? try FeedMetadata.load(path) : FeedMetadata(source: spec.source, type: spec.type)
        try commit.rollForward(&metadata)
        return (commit, metadata)
    }

    func write(_ metadata: FeedMetadata) throws {
        try FileIO.writeAtomically(feedDirectory + "/" + FeedMetadata.fileName, metadata.json.rendered(), mode: fileMode)
    }

    func commit(_ metadata: inout FeedMetadata, staged: [PartitionFileWriter.StagedFile]) throws {
        metadata.pending = staged.map(\.relativePath)
        try write(metadata)
        for file in staged { try FileIO.rename(file.sink.temporaryPath, to: file.sink.finalPath) }
        metadata.pending = []
        try write(metadata)
    }

    /// Renames files a previous, interrupted commit left pending.
    func rollForward(_ metadata: inout FeedMetadata) throws {
        guard !metadata.pending.isEmpty else { return }
        for final in metadata.pending {
            let temp = feedDirectory + "/" + MaintenancePlanner.temporaryName(of: final)
            if FileIO.exists(temp) { try FileIO.rename(temp, to: feedDirectory + "/" + final) }
        }
        metadata.pending = []
        try write(metadata)
    }

    /// Creates `relative` (e.g. `year=2025/month=01/day=15`) under the feed directory, each level with `mode`.
    func makeDirectories(_ relative: String, mode: UInt16) throws {
        var path = feedDirectory
        for part in relative.split(separator: "/") {
            path += "/" + part
            if !FileIO.isDirectory(path) { try FileIO.makeDirectories(path, mode: mode) }
        }
    }
}
