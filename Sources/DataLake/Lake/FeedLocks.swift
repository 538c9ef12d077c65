import LakeStorage

/// The locks an apply holds: one per feed it may touch, taken in name order, all or none. Held
/// until the value is released.
package struct FeedLocks {
    let held: [any LakeLock]

    /// Takes the lock of every feed in `feeds`, or fails at once naming the first one another apply
    /// holds (and releases those it took).
    package static func take(_ feeds: [String], in storage: any LakeStorage) throws(DiagnosticsError) -> FeedLocks {
        var held: [any LakeLock] = []
        do throws(StorageError) {
            try storage.makeDirectories(LakeLayout.locks, mode: 0o755)
        } catch {
            throw DiagnosticsError([Diagnostic("cannot create the lock directory: \(error.reason)", file: error.location)])
        }
        for feed in Set(feeds).sorted() {
            do throws(StorageError) {
                held.append(try storage.lock(LakeLayout.lock(feed)))
            } catch {
                throw DiagnosticsError([Diagnostic("feed \"\(feed)\": \(error.reason)", file: error.location)])
            }
        }
        return FeedLocks(held: held)
    }

    /// Every feed the desired state or the registry names: what an apply without `--target` may touch.
    package static func allFeeds(_ desired: DesiredState, storage: any LakeStorage) throws(DiagnosticsError) -> [String] {
        let registry = try Registry.load(storage, defaults: desired.config.defaults)
        return Array(Set(desired.feeds.map(\.spec.name)).union(registry.feeds.keys)).sorted()
    }

    /// Removes the locks of `feeds` (every lock when nil) whoever holds them; returns each removed
    /// lock's feed and holder.
    package static func breakLocks(_ feeds: [String]?, in storage: any LakeStorage) throws(StorageError) -> [(feed: String, holder: String)] {
        // A lock the kernel releases with its holder is never left behind: the storage says why.
        guard storage.capabilities.leaseLocks else { _ = try storage.breakLock(LakeLayout.locks); return [] }
        var names = feeds ?? []
        if feeds == nil {
            for entry in try storage.list(under: LakeLayout.locks) where entry.path.name.hasSuffix(".lock") {
                names.append(String(entry.path.name.dropLast(5)))
            }
        }
        var out: [(String, String)] = []
        for feed in names.sorted() {
            if let holder = try storage.breakLock(LakeLayout.lock(feed)) { out.append((feed, holder)) }
        }
        return out
    }
}
