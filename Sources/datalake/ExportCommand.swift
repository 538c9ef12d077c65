import ArgumentParser
import DataLake
import Parquet
import Foundation

/// `datalake export`: the seed's imperative export, running the same export and snapshot actions
/// as `apply` for the named feeds (and nothing else).
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export streams and snapshot tables now (the actions apply would run for them).",
        discussion: "With --date, only that UTC day's events, into that day's partition, still without duplicates. "
            + "With --format json: one JSON object a line, as `apply --format json`.")

    @OptionGroup var config: ConfigOptions
    @Flag(help: "Every enabled feed.") var all = false
    @Argument(help: "Feeds to export.") var feeds: [String] = []
    @Option(help: "Only events of this UTC day (YYYY-MM-DD), streams only.") var date: String?
    @Flag(help: "Never color the text output.") var noColor = false
    @OptionGroup var output: OutputFormatOptions

    func validate() throws {
        if all == !feeds.isEmpty { throw ValidationError("name the feeds to export, or --all") }
        if let date, CivilDate.epochDay(isoDate: date) == nil { throw ValidationError("--date must be YYYY-MM-DD, got \(date)") }
    }

    func run() async throws {
        var runner = ApplyRunner(config: config, noColor: noColor, feeds: all ? nil : feeds)
        runner.json = output.json
        try await runner.run { session, client in
            try await session.exportPlan(at: Date(), feeds: all ? nil : feeds, day: date, client: client!)
        }
    }
}
