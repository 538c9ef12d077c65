import ArgumentParser
import DataLake
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

    @Flag(help: "Print the sources as JSON.")
    var json = false

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
        if scaffold != nil && json { throw ValidationError("--scaffold prints YAML; drop --json") }
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
        var configuration: KsqlDBClientConfiguration
        do {
            if let url {
                configuration = KsqlDBClientConfiguration(url: URL(string: url)!)
                configuration.credentials = try desired?.config.ksqldb.clientConfiguration().credentials
            } else {
                configuration = try desired!.config.ksqldb.clientConfiguration()
            }
        } catch {
            throw Terminal.fail("\(config.configPath): \(error)")
        }
        let feeds = Dictionary((desired?.feeds ?? []).map { ($0.spec.source.uppercased(), $0.spec.name) }, uniquingKeysWith: { a, _ in a })
        let feedsDir = desired?.config.feedsDirectory ?? "feeds.d"
        let client = KsqlDBClient(configuration: configuration)
        do {
            if let benchQuery {
                try await bench(client, benchQuery)
            } else if let scaffold {
                try await scaffoldFeed(client, scaffold, feedsDir: feedsDir)
            } else {
                try await list(client, feeds: feeds)
            }
            try await client.shutdown()
        } catch {
            try? await client.shutdown()
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }

    private func list(_ client: KsqlDBClient, feeds: [String: String]) async throws {
        let sources = try await client.describeSources()
        if json {
            let entries = sources.map { SourceEntry($0, feed: feeds[$0.name.uppercased()]) }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(entries), as: UTF8.self))
            return
        }
        if sources.isEmpty {
            print("ksqlDB at \(client.configuration.endpoint) has no streams or tables.")
            return
        }
        for (index, source) in sources.enumerated() {
            if index > 0 { print("") }
            let kind = source.kind == .stream ? "stream" : "table"
            let window = source.windowType.map { ", \($0.lowercased()) window" } ?? ""
            print("\(source.name)  \(kind), topic \(source.topic), key \(source.keyFormat), value \(source.valueFormat)\(window)")
            if let feed = feeds[source.name.uppercased()] {
                print("  exported by feed \(feed)")
            } else {
                print("  not exported: `datalake sources --scaffold \(source.name)` drafts a feed")
            }
            let width = source.columns.map(\.name.count).max() ?? 0
            for column in source.columns {
                let name = column.name.padding(toLength: width, withPad: " ", startingAt: 0)
                let role = column.role == .value ? "" : "  \(column.role.rawValue)"
                print("    \(name)  \(column.type)\(role)")
            }
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

extension SourcesCommand {
/// One source in `datalake sources --json`.
struct SourceEntry: Encodable {
    struct Column: Encodable {
        var name: String
        var type: String
        var role: String
    }
    var name: String
    var kind: String
    var topic: String
    var keyFormat: String
    var valueFormat: String
    var windowType: String?
    var timestampColumn: String?
    var feed: String?
    var columns: [Column]

    init(_ source: KsqlSourceDescription, feed: String?) {
        name = source.name
        kind = source.kind.rawValue
        topic = source.topic
        keyFormat = source.keyFormat
        valueFormat = source.valueFormat
        windowType = source.windowType
        timestampColumn = source.timestampColumn
        self.feed = feed
        columns = source.columns.map { Column(name: $0.name, type: $0.type.description, role: $0.role.rawValue) }
    }
}
}
