import ArgumentParser
import DataLake
import KsqlDBClient
import Foundation

/// `datalake sources`: lists ksqlDB's streams and tables with their columns and whether a feed
/// exports each, and scaffolds a feed file for one of them.
struct SourcesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sources",
        abstract: "List ksqlDB's streams and tables, and scaffold feed files for them.",
        discussion: "Shows every stream and table with its columns and types, and which feed (if any) "
            + "exports it. `--scaffold NAME` prints a feed file for that source; add `--write` to put it in "
            + "the feeds directory. Credentials come from KSQLDB_USER and KSQLDB_PASSWORD."
    )

    @OptionGroup var output: OutputFormatOptions

    @OptionGroup var config: ConfigOptions

    @Option(help: "ksqlDB server URL (default: lake.yaml's ksqldb.url).")
    var url: String?

    @Option(help: ArgumentHelp("Print a feed file for the source NAME.", valueName: "NAME"))
    var scaffold: String?

    @Flag(help: "With --scaffold: write the feed file into the feeds directory (never overwrites).")
    var write = false


    @Option(help: .hidden)
    var benchQuery: String?

    func validate() throws {
        if write && scaffold == nil { throw ValidationError("--write needs --scaffold NAME") }
        if scaffold != nil && output.json { throw ValidationError("--scaffold prints YAML; drop --format json") }
        if let url {
            guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(),
                  scheme == "http" || scheme == "https", parsed.host != nil else {
                throw ValidationError("--url must be http(s)://host:port, got \(url)")
            }
        }
    }

    func run() async throws {
        // With --url the config is optional (a quick look at any server); without, lake.yaml says where.
        let desired: DesiredState? = url == nil ? try config.loadDesired() : try? DesiredStateLoader.load(configPath: config.configPath)
        let configuration: KsqlDBClientConfiguration
        do { configuration = try SourceListing.clientConfiguration(url: url, desired: desired) } catch {
            throw Terminal.fail("\(config.configPath): \(error)")
        }
        let client = KsqlDBClient(configuration: configuration)
        do {
            if let benchQuery {
                try await bench(client, benchQuery)
            } else if let scaffold {
                try await scaffoldFeed(client, scaffold, feedsDir: desired?.config.feedsDirectory ?? "feeds.d")
            } else {
                let listing = SourceListing(endpoint: configuration.endpoint, sources: try await client.describeSources(), desired: desired)
                print(output.json ? listing.json.rendered() : listing.text, terminator: "")
            }
            try await client.shutdown()
        } catch {
            try? await client.shutdown()
            throw Terminal.fail("\(error)")
        }
    }

    private func scaffoldFeed(_ client: KsqlDBClient, _ name: String, feedsDir: String) async throws {
        let source = try await client.describe(name)
        let text = FeedScaffold.yaml(for: source)
        guard write else {
            print(text, terminator: "")
            return
        }
        let path = try FeedScaffold.save(text, feedName: FeedScaffold.feedName(for: source.name), directory: feedsDir)
        print("wrote \(path); run `datalake plan` to see the effect")
    }

    /// Hidden: reads a query's rows and reports the rate, for `bench/run_client.sh`.
    private func bench(_ client: KsqlDBClient, _ sql: String) async throws {
        let clock = ContinuousClock()
        let start = clock.now
        var rows = 0
        let summary = try await client.streamQuery(sql, onHeader: { _ in }, onRows: { rows += $0.count })
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("rows=\(rows) bytes=\(summary.bytes) seconds=\(String(format: "%.3f", seconds)) "
            + "rows_per_s=\(Int(Double(rows) / seconds))")
    }
}
