import LakeStorage

/// The layout of a lake, as in the seed: `streams/`, `tables/`, `feeds/active`, `feeds/archived`,
/// `logs/`. Every lake path the tool builds comes from here, from validated feed names.
package enum LakeLayout {
    package static let streams = LakePath.root.appending("streams")
    package static let tables = LakePath.root.appending("tables")
    package static let feeds = LakePath.root.appending("feeds")
    package static let activeFeeds = feeds.appending("active")
    package static let archivedFeeds = feeds.appending("archived")
    package static let logs = LakePath.root.appending("logs")
    /// Rows of `on_check_failure: quarantine` streams that failed a check, away from the data its
    /// readers glob (`quarantine/<feed>/year=/month=/day=/`); created by the first quarantined row.
    package static let quarantine = LakePath.root.appending("quarantine")
    /// Per-feed locks (hidden, so that Parquet readers pointed at the lake skip them): applies of
    /// different feeds run at once, from different machines too; two of one feed do not.
    package static let locks = LakePath.root.appending(".locks")

    package static func lock(_ feed: String) -> LakePath { locks.appending("\(feed).lock") }

    /// Directories `init` creates, parents first.
    package static let directories: [LakePath] = [streams, tables, feeds, activeFeeds, archivedFeeds, logs]

    package static func activeRecord(_ feed: String) -> LakePath { activeFeeds.appending("\(feed).json") }
    package static func archivedRecord(_ feed: String) -> LakePath { archivedFeeds.appending("\(feed).json") }

    /// `streams/<feed>` or `tables/<feed>`.
    package static func dataDirectory(_ feed: String, type: FeedType) -> LakePath {
        (type == .stream ? streams : tables).appending(feed)
    }

    package static func dataDirectory(_ spec: FeedSpec) -> LakePath { dataDirectory(spec.name, type: spec.type) }

    /// `quarantine/<feed>`.
    package static func quarantineDirectory(_ feed: String) -> LakePath { quarantine.appending(feed) }

    package static func quarantineDirectory(_ spec: FeedSpec) -> LakePath { quarantineDirectory(spec.name) }

    package static func metadata(_ spec: FeedSpec) -> LakePath { dataDirectory(spec).appending(FeedMetadata.fileName) }

    /// False for a local lake whose registry directory does not exist: nothing ever ran `init` or
    /// `apply` there (or `root:` is mistyped). An object store has no directories to tell by.
    package static func isInitialised(_ storage: any LakeStorage) -> Bool {
        guard storage.capabilities.directories else { return true }
        return (try? storage.entry(at: activeFeeds)) != nil
    }

    /// Creates the lake's root and missing layout directories; returns those it created.
    @discardableResult
    package static func create(in storage: any LakeStorage) throws(StorageError) -> [LakePath] {
        var created: [LakePath] = []
        if try storage.entry(at: .root) == nil {
            try storage.makeDirectories(.root, mode: 0o755)
            if storage.capabilities.directories { created.append(.root) }
        }
        guard storage.capabilities.directories else { return created }
        for dir in directories where try storage.entry(at: dir)?.kind != .directory {
            try storage.makeDirectories(dir, mode: 0o755)
            created.append(dir)
        }
        return created
    }
}
