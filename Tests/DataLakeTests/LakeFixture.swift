import Foundation
@testable import DataLake
import DataLakeTestSupport
@testable import KsqlDBClient
@testable import KsqlParquet
@testable import LakeStorage
@testable import KsqlDBEmulator

/// A temporary lake wired to an in-process emulator on a free loopback port, with plan and apply at
/// chosen instants (the injected clock).
final class LakeFixture {
    let dir = TempDirectory()
    let emulator: KsqlDBEmulator
    var port = 0
    var config: String { dir.url("lake.yaml") }

    /// The demo over 2025-01-13..15 (ROWTIMEs fixed by the seed), and the given feed files.
    init(rows: Int = 300, feeds: [String: String], serverClockOffsetMillis: Int64? = nil, lakeExtra: String = "") async throws {
        var configuration = EmulatorConfiguration(dataset: .demo(seed: 7, startDate: "2025-01-13", days: 3, rowsPerStream: rows))
        configuration.dateHeaderOffsetMillis = serverClockOffsetMillis
        emulator = KsqlDBEmulator(configuration: configuration)
        port = try await emulator.start()
        _ = dir.makeProject(lake: "root: data_lake\nfeeds_dir: feeds.d\nksqldb:\n  url: http://127.0.0.1:\(port)\nparquet:\n  row_group_rows: 100\n" + lakeExtra,
                            feeds: feeds)
    }

    /// A dataset file (the emulator's `--data` format) instead of the demo.
    init(dataset json: String, feeds: [String: String]) async throws {
        let data = dir.write("dataset.json", json)
        emulator = KsqlDBEmulator(configuration: EmulatorConfiguration(dataset: .file(data)))
        port = try await emulator.start()
        _ = dir.makeProject(lake: "root: data_lake\nfeeds_dir: feeds.d\nksqldb:\n  url: http://127.0.0.1:\(port)\n", feeds: feeds)
    }

    func stop() async { try? await emulator.stop() }

    static func date(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    /// Refresh, plan and apply at `now`; throws the first failed action's error.
    @discardableResult
    func apply(at now: Date, day: String? = nil) async throws -> (plan: Plan, results: [ActionResult]) {
        let session = try PlanSession.load(configPath: config)
        let client = KsqlDBClient(configuration: try session.desired.config.ksqldb.clientConfiguration())
        defer { Task { try? await client.shutdown() } }
        let sources = try await SourceRefresher(client: client).refresh(session.desired.feeds.map(\.spec))
        let plan = try session.plan(at: now, sources: sources, includeExports: true, exportDay: day)
        let clock = Clock { now }
        var applier = Applier(storage: session.storage, clock: clock,
                              exports: ExportSettings(client: client, parquet: session.desired.config.parquet))
        applier.maxParallelFeeds = session.desired.config.maxParallelFeeds
        let (results, _) = try await applier.apply(plan) { _ in }
        try await client.shutdown()
        if let failed = results.first(where: { $0.error != nil }) { throw DataLakeError(failed.error!) }
        return (plan, results)
    }

    func outcome(_ results: [ActionResult], _ feed: String) -> ExportOutcome? {
        results.first { $0.action.feed == feed && ($0.action.kind == .export || $0.action.kind == .snapshot) }?.outcome
    }

    func metadata(_ relativeFeedDir: String) throws -> FeedMetadata {
        try FeedMetadata.parse(LocalFiles.read(dir.url("data_lake/\(relativeFeedDir)/_metadata.json"))!, path: relativeFeedDir)
    }

    /// Rows ksqlDB holds for a source (through the emulator's store).
    func sourceRows(_ name: String) throws -> Int { try emulator.store.rows(of: name).count }

    func insert(_ sql: String) throws { try emulator.store.execute(sql) }
}
