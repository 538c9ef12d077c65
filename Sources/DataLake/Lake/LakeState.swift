import Crypto
import Foundation

/// The lake's data as plan sees it: per feed, what is on disk and its committed metadata.
package struct LakeState: Sendable {
    /// One feed's directory and metadata.
    package struct Feed: Sendable {
        package var scan: FeedDirectoryScan
        package var metadata: FeedMetadata?
    }

    package var feeds: [String: Feed]
    /// SHA-256 over every feed's `_metadata.json`: exports change it, so a saved plan made before an
    /// export is stale after it.
    package var digest: String

    package init(feeds: [String: Feed] = [:], digest: String = "") {
        self.feeds = feeds
        self.digest = digest
    }

    /// Scans the data directory of each named feed. A corrupt `_metadata.json` is an error.
    package static func load(_ layout: LakeLayout, feeds: [(name: String, type: FeedType)]) throws(DiagnosticsError) -> LakeState {
        var out: [String: Feed] = [:]
        var errors: [Diagnostic] = []
        var hasher = SHA256()
        for (name, type) in feeds.sorted(by: { $0.name < $1.name }) {
            let dir = layout.dataDirectory(name, type: type)
            let scan = FeedDirectoryScan.scan(dir)
            var metadata: FeedMetadata?
            let path = dir + "/" + FeedMetadata.fileName
            if scan.exists, let bytes = try? FileIO.read(path) {
                hasher.update(data: Array("\(name)\u{0}".utf8) + bytes + [0])
                do { metadata = try FeedMetadata.parse(bytes, path: path) } catch { errors += error.diagnostics }
            }
            out[name] = Feed(scan: scan, metadata: metadata)
        }
        if !errors.isEmpty { throw DiagnosticsError(errors) }
        return LakeState(feeds: out, digest: "sha256:" + hasher.finalize().map { String(format: "%02x", $0) }.joined())
    }
}
