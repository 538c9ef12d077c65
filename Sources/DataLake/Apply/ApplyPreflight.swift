import KsqlDBClient
import LakeStorage

/// What `apply` checks before it creates anything: a mistyped `root:` (an existing file, a parent
/// that does not exist) or a ksqlDB that is down must not leave directories or a lock file behind.
package struct ApplyPreflight {
    package var config: LakeConfig
    package var storage: any LakeStorage

    package init(config: LakeConfig, storage: any LakeStorage) {
        self.config = config
        self.storage = storage
    }

    /// Throws a one-line error naming `root:` or ksqlDB; `contactKsqlDB` is false for `--offline`.
    package func check(contactKsqlDB: Bool) async throws {
        try checkRoot()
        guard contactKsqlDB else { return }
        let client = KsqlDBClient(configuration: try config.ksqldb.clientConfiguration())
        do {
            _ = try await client.info()
        } catch {
            try? await client.shutdown()
            throw DataLakeError("\(error); nothing was changed (`apply --offline` runs the lifecycle and maintenance actions without it)")
        }
        try await client.shutdown()
    }

    /// A local root is a directory, or does not exist yet in a directory that does (only the root
    /// itself is created: a missing parent is a typo more often than a wish).
    func checkRoot() throws {
        guard storage.capabilities.directories else { return }
        let entry: StorageEntry?
        do { entry = try storage.entry(at: .root) } catch { throw DataLakeError("\(config.path): root \(error)") }
        if let entry {
            guard entry.kind != .file else {
                throw DataLakeError("\(config.path): root \(storage.location) is a file, not a directory: fix `root:`")
            }
            return
        }
        let parent = LocalFiles.directory(of: config.root)
        if !parent.isEmpty, !LocalFiles.isDirectory(parent) {
            throw DataLakeError("\(config.path): root \(storage.location) cannot be created: \(parent) is not a directory "
                                + "(create it, or fix `root:`)")
        }
    }
}
