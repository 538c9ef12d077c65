/// The lake's data as plan sees it: per feed, what is on disk and its committed metadata.
package struct LakeState: Sendable {
    /// One feed's directory and metadata.
    package struct Feed: Sendable {
        package var scan: FeedDirectoryScan
        package var metadata: FeedMetadata?
    }

    package var feeds: [String: Feed]

    package init(feeds: [String: Feed] = [:]) { self.feeds = feeds }

    /// Scans the data directory of each named feed. A corrupt `_metadata.json` is an error.
    package static func load(_ layout: LakeLayout, feeds: [(name: String, type: FeedType)]) throws(DiagnosticsError) -> LakeState {
        var out: [String: Feed] = [:]
        var errors: [Diagnostic] = []
        for (name, type) in feeds {
            let dir = layout.dataDirectory(name, type: type)
            let scan = FeedDirectoryScan.scan(dir)
            var metadata: FeedMetadata?
            let path = dir + "/" + FeedMetadata.fileName
            if scan.exists && FileIO.exists(path) {
                do { metadata = try FeedMetadata.load(path) } catch { errors += error.diagnostics }
            }
            out[name] = Feed(scan: scan, metadata: metadata)
        }
        if !errors.isEmpty { throw DiagnosticsError(errors) }
        return LakeState(feeds: out)
    }
}
