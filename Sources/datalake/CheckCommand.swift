import ArgumentParser
import DataLake
import Foundation
import KsqlDBClient

/// `datalake check FEED…`: a dry run of the feeds' quality checks on live data.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Run the feeds' quality checks on what their next export or snapshot would read, writing nothing.",
        discussion: "Exits 1 when an error-severity check fails.")

    @OptionGroup var config: ConfigOptions
    @Argument(help: "The feeds.") var feeds: [String]
    @OptionGroup var output: OutputFormatOptions

    func run() async throws {
        let desired = try config.loadDesired()
        let session: PlanSession
        do { session = try PlanSession.load(desired: desired) } catch { throw Terminal.fail(error) }
        let client: KsqlDBClient
        do { client = KsqlDBClient(configuration: try desired.config.ksqldb.clientConfiguration()) } catch { throw Terminal.fail("\(error)") }
        var failed = false
        var report: [JSONValue] = []
        do {
            for feed in feeds {
                let outcomes = try await QualityCheckDryRun(session: session, client: client).run(feed)
                failed = failed || outcomes.contains { !$0.passed && $0.check.severity == .error }
                if output.json {
                    report.append(.object([("feed", .string(feed)), ("checks", .array(outcomes.map(\.json)))]))
                } else {
                    print("\(feed):")
                    for o in outcomes { print("  " + (o.passed ? "ok    " : (o.check.severity == .warn ? "WARN  " : "FAIL  ")) + o.summary) }
                }
            }
        } catch {
            try? await client.shutdown()
            throw Terminal.fail("\(error)")
        }
        try? await client.shutdown()
        if output.json { print(JSONDocument.versioned([("feeds", .array(report))]).rendered()) }
        if failed { throw ExitCode.failure }
    }
}
