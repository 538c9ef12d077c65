import ArgumentParser
import DataLake
import Foundation

/// `datalake export`: the seed's imperative export, running the same export and snapshot actions
/// as `apply` for the named feeds (and nothing else).
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export streams and snapshot tables now (the actions apply would run for them).",
        discussion: "With --date, only that UTC day's events, into that day's partition, still without duplicates.")

    @OptionGroup var config: ConfigOptions
    @Flag(help: "Every enabled feed.") var all = false
    @Argument(help: "Feeds to export.") var feeds: [String] = []
    @Option(help: "Only events of this UTC day (YYYY-MM-DD), streams only.") var date: String?
    @Flag(help: "Never color the text output.") var noColor = false

    func validate() throws {
        if all == !feeds.isEmpty { throw ValidationError("name the feeds to export, or --all") }
        if let date, StreamExporter.epochDay(of: date) == nil { throw ValidationError("--date must be YYYY-MM-DD, got \(date)") }
    }

    func run() async throws {
        try await ApplyRunner(config: config, noColor: noColor).run { session, client in
            var targets: Set<String>?
            if !all {
                for feed in feeds where session.registry.feeds[feed]?.state != .active {
                    let known = session.desired.feed(named: feed) != nil
                    throw DataLakeError(known ? "feed \"\(feed)\" is not registered yet: run `datalake apply` first"
                                              : "no feed named \"\(feed)\" in \(session.desired.config.feedsDirectory)")
                }
                targets = Set(feeds)
            }
            let registered = session.desired.feeds.map(\.spec).filter { session.registry.feeds[$0.name]?.state == .active }
            let sources = try await SourceRefresher(client: client).refresh(registered.filter { targets?.contains($0.name) ?? true })
            var plan = try session.plan(at: Date(), targets: targets, sources: sources, includeExports: true, exportDay: date)
            plan.actions = plan.actions.filter { action in
                let data = action.kind == .export || action.kind == .snapshot || action.kind == .cleanup
                let registeredFeed = session.registry.feeds[action.feed]?.state == .active
                return data && registeredFeed && (date == nil || action.kind != .snapshot)
            }
            return plan
        }
    }
}
