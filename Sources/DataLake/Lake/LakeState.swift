import Crypto
import Dispatch
import Foundation
import LakeStorage
import Synchronization

/// The lake's data as plan sees it: per feed, what is on disk and its committed metadata.
package struct LakeState: Sendable {
    /// One feed's directory and metadata.
    package struct Feed: Sendable {
        package var scan: FeedDirectoryScan
        package var metadata: FeedMetadata?
        /// `quarantine/<feed>`, when anything is there.
        package var quarantine: FeedDirectoryScan?
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
    package static func load(_ storage: any LakeStorage, feeds: [(name: String, type: FeedType)]) throws(DiagnosticsError) -> LakeState {
        // Feeds are scanned two at a time: the walk is mostly system calls (or requests), and plan's
        // time on a large lake is the walk's.
        let sorted = feeds.sorted(by: { $0.name < $1.name })
        // One listing says which feeds have quarantine files: most lakes have none, and a request
        // per feed would be paid by every plan on an object store.
        let quarantined: Set<String>
        do throws(StorageError) {
            quarantined = Set(try storage.list(under: LakeLayout.quarantine).compactMap { entry in
                entry.path.relative(to: LakeLayout.quarantine)?.split(separator: "/").first.map(String.init)
            })
        } catch {
            throw DiagnosticsError([Diagnostic("cannot read the lake: \(error.reason)", file: error.location)])
        }
        let quarantineScans = Mutex([FeedDirectoryScan?](repeating: nil, count: sorted.count))
        let results = Mutex([(scan: FeedDirectoryScan, bytes: [UInt8]?, metadata: FeedMetadata?, errors: [Diagnostic])?](repeating: nil, count: sorted.count))
        DispatchQueue.concurrentPerform(iterations: sorted.count) { i in
            let (name, type) = sorted[i]
            let dir = LakeLayout.dataDirectory(name, type: type)
            var scan = FeedDirectoryScan(root: dir, exists: false)
            var bytes: [UInt8]?
            var metadata: FeedMetadata?
            var errors: [Diagnostic] = []
            do throws(StorageError) {
                scan = try FeedDirectoryScan.scan(dir, in: storage)
                let path = dir.appending(FeedMetadata.fileName)
                if scan.exists, let read = try storage.read(path, limit: FeedMetadata.maxBytes) {
                    bytes = read
                    do throws(DiagnosticsError) { metadata = try FeedMetadata.parse(read, path: storage.describe(path)) } catch { errors = error.diagnostics }
                }
                if type == .stream, quarantined.contains(name) {
                    let q = try FeedDirectoryScan.scan(LakeLayout.quarantineDirectory(name), in: storage)
                    quarantineScans.withLock { $0[i] = q }
                }
            } catch {
                errors = [Diagnostic("cannot read the lake: \(error.reason)", file: error.location)]
            }
            results.withLock { $0[i] = (scan, bytes, metadata, errors) }
        }
        var out: [String: Feed] = [:]
        var errors: [Diagnostic] = []
        var hasher = SHA256()
        let all = results.withLock { $0 }
        let quarantine = quarantineScans.withLock { $0 }
        for (i, (name, _)) in sorted.enumerated() {
            guard let r = all[i] else { continue }
            if let bytes = r.bytes { hasher.update(data: Array("\(name)\u{0}".utf8) + bytes + [0]) }
            errors += r.errors
            out[name] = Feed(scan: r.scan, metadata: r.metadata, quarantine: quarantine[i])
        }
        if !errors.isEmpty { throw DiagnosticsError(errors) }
        return LakeState(feeds: out, digest: "sha256:" + hasher.finalize().map { String(format: "%02x", $0) }.joined())
    }
}
