import ArgumentParser
import DataLake
import LakeStorage

/// `datalake force-unlock`: removes an S3 lake's lease left by an apply that died, so the next one
/// need not wait for it to expire.
struct ForceUnlockCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "force-unlock",
        abstract: "Remove the lake's lock left by an apply that died (S3 leases; a local flock needs none).",
        discussion: "Make sure no apply is running: a running one would go on without its lock.")

    @OptionGroup var config: ConfigOptions

    func run() throws {
        let desired = try config.loadDesired()
        do {
            let storage = try desired.config.openStorage()
            if let holder = try storage.breakLock(LakeLayout.lockFile) {
                print("removed the lock of \(storage.location), held by \(holder)")
            } else {
                print("\(storage.location) is not locked: nothing to remove")
            }
        } catch let error as DiagnosticsError {
            throw Terminal.fail(error)
        } catch {
            throw Terminal.fail("\(error)")
        }
    }
}
