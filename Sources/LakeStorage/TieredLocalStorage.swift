/// A local lake with a second directory (`tier_root`, typically a cheaper disk) that old day
/// partitions move to. Both directories have the lake's layout; the lake is their union: listings
/// merge them (a file in the second one reports the tier `tier_root`), deletions and mode changes
/// apply to both, and every write goes to the first. A reader globs both directories.
package struct TieredLocalStorage: LakeStorage {
    /// Where new data, the metadata, the registry and the locks live.
    package let hot: LocalLakeStorage
    /// Where tiered files live, at the same relative paths.
    package let cold: LocalLakeStorage

    package init(root: String, tierRoot: String) {
        hot = LocalLakeStorage(root: root)
        cold = LocalLakeStorage(root: tierRoot)
    }

    package var location: String { hot.location }

    package var capabilities: StorageCapabilities { StorageCapabilities(modes: true, directories: true, tiering: .secondRoot) }

    package func describe(_ path: LakePath) -> String {
        LocalFiles.kind(hot.full(path)) != nil || LocalFiles.kind(cold.full(path)) == nil ? hot.describe(path) : cold.describe(path)
    }

    package func read(_ path: LakePath, limit: Int) throws(StorageError) -> [UInt8]? {
        if let bytes = try hot.read(path, limit: limit) { return bytes }
        return try cold.read(path, limit: limit)
    }

    package func entry(at path: LakePath) throws(StorageError) -> StorageEntry? {
        if let entry = try hot.entry(at: path) { return entry }
        guard var entry = try cold.entry(at: path) else { return nil }
        if entry.kind == .file { entry.tier = Tiering.secondRootName }
        return entry
    }

    /// Both directories' entries; a path in both (a directory, or a file whose move was interrupted
    /// before the first copy was deleted) is listed once, as the first directory's.
    package func list(under prefix: LakePath) throws(StorageError) -> [StorageEntry] {
        let first = try hot.list(under: prefix)
        let seen = Set(first.map(\.path))
        var merged = first
        for var entry in try cold.list(under: prefix) where !seen.contains(entry.path) {
            if entry.kind == .file { entry.tier = Tiering.secondRootName }
            merged.append(entry)
        }
        return merged.sorted { $0.path < $1.path }
    }

    package func put(_ path: LakePath, _ bytes: [UInt8], mode: UInt16) throws(StorageError) { try hot.put(path, bytes, mode: mode) }

    package func createIfAbsent(_ path: LakePath, _ bytes: [UInt8], mode: UInt16) throws(StorageError) -> Bool {
        try hot.createIfAbsent(path, bytes, mode: mode)
    }

    package func append(_ path: LakePath, _ bytes: [UInt8], mode: UInt16) throws(StorageError) { try hot.append(path, bytes, mode: mode) }

    package func stage(_ path: LakePath, mode: UInt16) throws(StorageError) -> any StagedObject { try hot.stage(path, mode: mode) }

    package func publish(_ path: LakePath) throws(StorageError) -> PublishResult { try hot.publish(path) }

    package func stagedTarget(of path: LakePath) -> LakePath? { hot.stagedTarget(of: path) }

    package func delete(_ paths: [LakePath]) throws(StorageError) {
        try hot.delete(paths)
        try cold.delete(paths)
    }

    package func deleteTree(_ path: LakePath) throws(StorageError) {
        try hot.deleteTree(path)
        if LocalFiles.kind(cold.full(path)) != nil { try cold.deleteTree(path) }
    }

    /// True when the directory is gone from both.
    package func removeDirectoryIfEmpty(_ path: LakePath) throws(StorageError) -> Bool {
        _ = try hot.removeDirectoryIfEmpty(path)
        _ = try cold.removeDirectoryIfEmpty(path)
        return LocalFiles.kind(hot.full(path)) == nil && LocalFiles.kind(cold.full(path)) == nil
    }

    package func makeDirectories(_ path: LakePath, mode: UInt16) throws(StorageError) { try hot.makeDirectories(path, mode: mode) }

    package func setMode(_ path: LakePath, _ mode: UInt16) throws(StorageError) {
        for side in [hot, cold] where LocalFiles.kind(side.full(path)) != nil { try side.setMode(path, mode) }
    }

    package func incompleteUploads(under prefix: LakePath) throws(StorageError) -> [LakePath] { [] }

    package func abortUploads(_ paths: [LakePath]) throws(StorageError) {}

    package func breakLock(_ path: LakePath) throws(StorageError) -> String? { try hot.breakLock(path) }

    package func lock(_ path: LakePath) throws(StorageError) -> any LakeLock { try hot.lock(path) }

    /// Copies each file into the second directory (staged, fsynced and renamed there, so it appears
    /// whole), then deletes the first copy and the directories that empties. A crash in between
    /// leaves the file in both: it is listed as untiered and moved again.
    package func tier(_ paths: [LakePath], to tier: String) throws(StorageError) {
        guard tier == Tiering.secondRootName else { throw StorageError(cold.root, "a local lake tiers to tier_root, not \(tier)") }
        for path in paths {
            guard let source = LocalFiles.kind(hot.full(path)) else { continue }
            guard source.kind == .file else { throw StorageError(hot.full(path), "is not a regular file; not moving it") }
            let parent = path.parent ?? .root
            try cold.makeDirectories(parent, mode: LocalFiles.kind(hot.full(parent))?.mode ?? 0o755)
            let reader = try LocalFileReader(path: hot.full(path), followSymlinks: false)
            let staged = try cold.stage(path, mode: source.mode)
            do {
                var buffer = [UInt8](repeating: 0, count: 1 << 20)
                while true {
                    let n = try buffer.withUnsafeMutableBytes { raw throws(StorageError) in try reader.read(into: raw) }
                    if n == 0 { break }
                    try buffer.withUnsafeBytes { raw in try staged.write(UnsafeRawBufferPointer(rebasing: raw[0..<n])) }
                }
                try staged.finish()
            } catch {
                staged.abort()
                throw error as? StorageError ?? StorageError(cold.full(path), "\(error)")
            }
            guard staged.bytesWritten == source.size else {
                staged.abort()
                throw StorageError(hot.full(path), "changed while it was being moved to tier_root")
            }
            _ = try cold.publish(path)
            try hot.delete([path])
            var directory = parent
            while !directory.isRoot, directory.components.count > 2, try hot.removeDirectoryIfEmpty(directory) {
                directory = directory.parent ?? .root
            }
        }
    }
}
