import ArgumentParser
import DataLake

/// `datalake stats`: feeds, records, sizes, last export, partitions and versions.
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stats", abstract: "Feeds, records, sizes, last export, partitions and versions.")

    @OptionGroup var config: ConfigOptions
    @OptionGroup var output: OutputFormatOptions

    func run() throws {
        let desired = try config.loadDesired()
        let (storage, registry) = try config.loadRegistry(desired)
        let report = LakeReport(registry: registry, storage: storage)
        print(output.json ? report.json.rendered() : report.text, terminator: "")
    }
}
