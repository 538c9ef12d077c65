import ArgumentParser
import DataLake
import LakeStorage

/// `datalake force-unlock [FEED…]`: removes the S3 leases an apply that died left behind, so the
/// next one need not wait for them to expire.
struct ForceUnlockCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "force-unlock",
        abstract: "Remove the feed locks left by an apply that died (S3 leases; a local flock needs none).",
        discussion: "Make sure no apply is running on those feeds: a running one would go on without its lock.")

    @OptionGroup var config: ConfigOptions
    @Argument(help: "Feeds whose lock to remove (default: every locked feed).") var feeds: [String] = []

    func run() throws {
        let desired = try config.loadDesired()
        do {
            let storage = try desired.config.openStorage()
            let removed = try FeedLocks.breakLocks(feeds.isEmpty ? nil : feeds, in: storage)
            if removed.isEmpty { print("no feed of \(storage.location) is locked: nothing to remove") }
            for r in removed { print("removed the lock of feed \(r.feed), held by \(r.holder)") }
        } catch let error as DiagnosticsError {
            throw Terminal.fail(error)
        } catch {
            throw Terminal.fail("\(error)")
        }
    }
}
