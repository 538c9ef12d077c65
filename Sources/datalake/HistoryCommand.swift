import ArgumentParser
import DataLake

/// `datalake history FEED`: the commits of a Delta feed.
struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "The commits of a Delta feed: version, time, operation, rows and bytes added and removed.")

    @OptionGroup var config: ConfigOptions
    @Argument(help: "The feed.") var feed: String
    @OptionGroup var output: OutputFormatOptions

    func run() throws {
        let desired = try config.loadDesired()
        let (storage, registry) = try config.loadRegistry(desired)
        let history: FeedHistory
        do { history = try FeedHistory.load(feed: feed, registry: registry, storage: storage) } catch { throw Terminal.fail("\(error)") }
        print(output.json ? history.json.rendered() : history.text, terminator: "")
    }
}
