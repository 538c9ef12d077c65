import Foundation

/// The on-disk layout of a lake, as in the seed: `streams/`, `tables/`, `feeds/active`,
/// `feeds/archived`, `logs/`. Every path the tool touches is built here, from validated feed names,
/// so nothing can escape the lake directory.
package struct LakeLayout: Sendable {
    package var root: String

    package init(root: String) { self.root = root }

    package var streams: String { path("streams") }
    package var tables: String { path("tables") }
    package var feeds: String { path("feeds") }
    package var activeFeeds: String { path("feeds/active") }
    package var archivedFeeds: String { path("feeds/archived") }
    package var logs: String { path("logs") }
    /// Hidden, so that Parquet readers pointed at the lake skip it.
    package var lockFile: String { path(".datalake.lock") }

    /// Directories `init` creates, parents first.
    package var directories: [String] { [root, streams, tables, feeds, activeFeeds, archivedFeeds, logs] }

    package func activeRecord(_ feed: String) -> String { path("feeds/active/\(feed).json") }
    package func archivedRecord(_ feed: String) -> String { path("feeds/archived/\(feed).json") }

    /// `streams/<feed>` or `tables/<feed>`.
    package func dataDirectory(_ feed: String, type: FeedType) -> String {
        path((type == .stream ? "streams/" : "tables/") + feed)
    }

    package func path(_ relative: String) -> String { (root as NSString).appendingPathComponent(relative) }

    /// Creates missing layout directories; returns those it created (empty when all existed).
    @discardableResult
    package func create() throws(FileIOError) -> [String] {
        var created: [String] = []
        for dir in directories where !FileIO.isDirectory(dir) {
            try FileIO.makeDirectories(dir)
            created.append(dir)
        }
        return created
    }
}
