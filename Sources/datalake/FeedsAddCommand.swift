import ArgumentParser
import DataLake
import Foundation

/// `datalake feeds add`: writes a new feed file with the seed's flags.
struct FeedsAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Write a new feed file in feeds.d.")

    @OptionGroup var config: ConfigOptions
    @Option(help: "Feed name ([a-z][a-z0-9_]*).") var name: String
    @Option(help: "stream or table.") var type: String
    @Option(help: "ksqlDB stream or table name.") var source: String
    @Option(help: "Free text.") var description: String = ""
    @Option(help: "date (streams) or version (tables); defaults by type.") var partitioning: String?
    @Option(help: "append (streams) or overwrite (tables); defaults by type.") var storageMode: String?
    @Option(help: "Days of partitions to keep (streams).") var retentionDays: Int?
    @Option(help: "Snapshot versions to keep (tables).") var versionsToKeep: Int?

    func run() throws {
        let desired = try config.loadDesired()
        do {
            let path = try FeedAdder(desired: desired).add(
                name: name, type: type, source: source, description: description, partitioning: partitioning,
                storageMode: storageMode, retentionDays: retentionDays, versionsToKeep: versionsToKeep)
            print("wrote \(path); \(FeedsCommand.nextStep)")
        } catch {
            throw Terminal.fail(error)
        }
    }
}
