/// The lake in a local directory. A staged file is the hidden `.NAME.tmp` beside its final name
/// (Parquet readers skip names that start with `.`); publishing renames it, then fsyncs the
/// directory. Symbolic links found in the lake are listed as such and never followed.
package struct LocalLakeStorage: LakeStorage {
    /// The lake's directory.
    package let root: String

    package init(root: String) {
        self.root = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
    }

    package var location: String { root }

    package var capabilities: StorageCapabilities { StorageCapabilities(modes: true, directories: true) }

    package func describe(_ path: LakePath) -> String { full(path) }

    func full(_ path: LakePath) -> String { path.isRoot ? root : LocalFiles.join(root, path.value) }

    package func read(_ path: LakePath, limit: Int) throws(StorageError) -> [UInt8]? {
        try LocalFiles.read(full(path), limit: limit, followSymlinks: false)
    }

    package func entry(at path: LakePath) throws(StorageError) -> StorageEntry? {
        LocalFiles.kind(full(path)).map { StorageEntry(path: path, kind: $0.kind, size: $0.size, mode: $0.mode) }
    }

    package func list(under prefix: LakePath) throws(StorageError) -> [StorageEntry] {
        var found: [(relative: String, kind: StorageEntry.Kind, size: Int, mode: UInt16, modified: Int64)] = []
        LocalFiles.walk(full(prefix), into: &found)
        var out: [StorageEntry] = []
        out.reserveCapacity(found.count)
        for f in found {
            // A name that is not a lake path (a stray `..`-free but odd name cannot occur; NUL cannot
            // either) is skipped rather than trusted.
            guard let path = try? prefix.appending(checked: f.relative) else { continue }
            var entry = StorageEntry(path: path, kind: f.kind, size: f.size, mode: f.mode)
            entry.modified = f.modified
            out.append(entry)
        }
        out.sort { $0.path < $1.path }
        return out
    }

    package func put(_ path: LakePath, _ bytes: [UInt8], mode: UInt16) throws(StorageError) {
        try refuseSymlink(path)
        try LocalFiles.writeAtomically(full(path), bytes, mode: mode)
    }

    package func createIfAbsent(_ path: LakePath, _ bytes: [UInt8], mode: UInt16) throws(StorageError) -> Bool {
        try LocalFiles.createNew(full(path), bytes, mode: mode)
    }

    package func append(_ path: LakePath, _ bytes: [UInt8], mode: UInt16) throws(StorageError) {
        try LocalFiles.append(full(path), bytes, mode: mode)
    }

    package func stage(_ path: LakePath, mode: UInt16) throws(StorageError) -> any StagedObject {
        try LocalStagedFile(path: path, temporary: full(stagedPath(of: path)), mode: mode)
    }

    /// `dir/.NAME.tmp` for `dir/NAME`.
    package func stagedPath(of path: LakePath) -> LakePath {
        let parent = path.parent ?? .root
        return parent.appending(LocalFiles.temporaryName(of: path.name))
    }

    package func stagedTarget(of path: LakePath) -> LakePath? {
        guard let name = LocalFiles.finalName(ofTemporary: path.name), LakePath.problem(in: name) == nil else { return nil }
        return (path.parent ?? .root).appending(name)
    }

    package func publish(_ path: LakePath) throws(StorageError) -> PublishResult {
        let temp = full(stagedPath(of: path))
        if LocalFiles.kind(temp)?.kind == .file {
            try LocalFiles.rename(temp, to: full(path))
            return .published
        }
        return LocalFiles.kind(full(path))?.kind == .file ? .alreadyPublished : .missing
    }

    package func delete(_ paths: [LakePath]) throws(StorageError) {
        for path in paths where !path.isRoot {
            try LocalFiles.remove(full(path))
        }
    }

    package func deleteTree(_ path: LakePath) throws(StorageError) {
        precondition(!path.isRoot, "refusing to delete the whole lake")
        try LocalFiles.removeTree(full(path))
        try LocalFiles.fsyncDirectory(full(path.parent ?? .root))
    }

    package func removeDirectoryIfEmpty(_ path: LakePath) throws(StorageError) -> Bool {
        guard !path.isRoot, LocalFiles.kind(full(path))?.kind == .directory else { return false }
        return try LocalFiles.removeDirectoryIfEmpty(full(path))
    }

    package func makeDirectories(_ path: LakePath, mode: UInt16) throws(StorageError) {
        if path.isRoot {
            try LocalFiles.makeDirectories(root, mode: 0o755)
            return
        }
        // Each missing level below the root gets `mode`; the root itself is made as a plain directory.
        if !LocalFiles.isDirectory(root) { try LocalFiles.makeDirectories(root, mode: 0o755) }
        var current = LakePath.root
        for part in path.components {
            current = current.appending(String(part))
            let target = full(current)
            switch LocalFiles.kind(target)?.kind {
            case .directory?: continue
            case .symlink?: throw StorageError(target, "is a symbolic link; not following it")
            case .file?: throw StorageError(target, "is a file, not a directory")
            case nil: try LocalFiles.makeDirectories(target, mode: mode)
            }
        }
    }

    package func setMode(_ path: LakePath, _ mode: UInt16) throws(StorageError) {
        try LocalFiles.setMode(full(path), mode)
    }

    /// A local staged file is a plain hidden file: listed, and cleaned up, like any other.
    package func incompleteUploads(under prefix: LakePath) throws(StorageError) -> [LakePath] { [] }

    package func abortUploads(_ paths: [LakePath]) throws(StorageError) {}

    package func breakLock(_ path: LakePath) throws(StorageError) -> String? {
        throw StorageError(full(path), "a local lake's lock is a flock(2), which the kernel releases when its holder exits or is killed: "
                           + "there is nothing to force; if an apply still holds it, stop that process")
    }

    package func lock(_ path: LakePath) throws(StorageError) -> any LakeLock {
        let file = full(path)
        switch try LocalFiles.tryLock(file) {
        case let .success(fd): return LocalLock(fd: fd)
        case let .failure(held): throw StorageError(file, "another datalake apply holds its lock (\(held.holder)); try again when it ends")
        }
    }

    package func tier(_ paths: [LakePath], to tier: String) throws(StorageError) {
        throw StorageError(root, "this lake has no second tier: set tier_root in lake.yaml")
    }

    private func refuseSymlink(_ path: LakePath) throws(StorageError) {
        if LocalFiles.kind(full(path))?.kind == .symlink { throw StorageError(full(path), "is a symbolic link; not following it") }
    }
}

/// A held `flock`; the kernel releases it when the holder dies, even by kill -9. Who holds it is
/// read from /proc/locks rather than written into the file, so taking it never changes a byte.
final class LocalLock: LakeLock {
    private let fd: Int32
    init(fd: Int32) { self.fd = fd }
    deinit { LocalFiles.unlock(fd) }
}
