import Foundation
import Synchronization
import Testing
@testable import DataLake
import DataLakeTestSupport
@testable import KsqlDBClient
@testable import LakeStorage

/// A stop request (the CLI's SIGINT/SIGTERM) ends an apply at its next safe point: an export stops
/// before its commit and leaves its feed as it was, no later action runs, and the log ends with
/// what was done and what was not.
@Suite(.serialized) struct StopRequestTests {
    static let t1 = LakeFixture.date("2025-01-16T00:00:00Z")
    static let feeds = ["s.yaml": "feed_name: tx\nfeed_type: stream\nksqldb_source: transaction_stream\nretention_days: 365\n",
                        "t.yaml": "feed_name: users\nfeed_type: table\nksqldb_source: user_transaction_summary\n"]

    /// Every path under the stream feed's directory, and its metadata's bytes.
    static func feedState(_ lake: LakeFixture) throws -> (paths: Set<String>, metadata: [UInt8]?) {
        let paths = try FileManager.default.subpathsOfDirectory(atPath: lake.dir.url("data_lake/streams/tx"))
        let files = paths.filter { !$0.hasPrefix("year=") || $0.hasSuffix(".parquet") || $0.contains("/.") }
        return (Set(files), try LocalFiles.read(lake.dir.url("data_lake/streams/tx/_metadata.json")))
    }

    @Test func aStopMidExportRollsItBackAndRunsNothingAfter() async throws {
        let lake = try await LakeFixture(rows: 60, feeds: Self.feeds)
        try await lake.apply(at: Self.t1)
        let w = Int64(Self.t1.timeIntervalSince1970 * 1000)
        for i in 0..<5 {
            try lake.insert("INSERT INTO transaction_stream (ROWTIME, TRANSACTION_ID, USER_ID, AMOUNT, CURRENCY) "
                            + "VALUES (\(w + 1000 + Int64(i)), 'late-\(i)', 'user_0001', 1.00, 'EUR');")
        }
        let before = try Self.feedState(lake)
        let session = try PlanSession.load(configPath: lake.config)
        let client = KsqlDBClient(configuration: try session.desired.config.ksqldb.clientConfiguration())
        let later = Self.t1 + 3600
        let plan = try session.plan(at: later, sources: try await SourceRefresher(client: client).refresh(session.desired.feeds.map(\.spec)),
                                    includeExports: true)
        let exportIndex = try #require(plan.actions.firstIndex { $0.kind == .export && $0.feed == "tx" })
        let stop = StopRequest()
        var stagedWhenStopped = false
        let (results, log) = try await Applier(storage: session.storage, clock: Clock { later },
                                               exports: ExportSettings(client: client, parquet: session.desired.config.parquet),
                                               stop: stop).apply(plan) { event in
            guard case let .rows(action, read) = event, action.feed == "tx", read.rows > 0 else { return }
            stagedWhenStopped = (try? Self.feedState(lake).paths.contains { $0.contains("/.data_") }) == true
            stop.request("SIGTERM")
        }
        try await client.shutdown()
        #expect(stagedWhenStopped)
        #expect(results.count == exportIndex + 1)
        let interrupted = try #require(results.last)
        #expect(interrupted.interrupted && interrupted.action.kind == .export && !interrupted.changed)
        #expect(interrupted.error == "interrupted (SIGTERM) before its commit: nothing of it was written")
        #expect(results.dropLast().allSatisfy { $0.error == nil && !$0.interrupted })
        // Nothing of the export is left: no staged file, no new partition file, the same metadata (watermark).
        let after = try Self.feedState(lake)
        #expect(after.paths == before.paths)
        #expect(after.metadata == before.metadata)
        let summary = try #require(Applier.interruption(plan, results: results, reason: "SIGTERM"))
        let notRun = plan.actions[exportIndex...].map { "\($0.kind.rawValue) \($0.feed)" }.joined(separator: ", ")
        #expect(summary == "Interrupted (SIGTERM): \(exportIndex) of \(plan.actions.count) actions done; not run: \(notRun)")
        #expect(notRun.contains("snapshot users"))
        let logText = try String(contentsOfFile: try #require(log), encoding: .utf8)
        #expect(logText.contains("export stream tx: interrupted (SIGTERM) before its commit"))
        #expect(logText.hasSuffix(summary + "\n"))
        // The next apply exports the rows once.
        let (_, next) = try await lake.apply(at: later + 60)
        #expect(lake.outcome(next, "tx")?.rows == 5)
        await lake.stop()
    }

    @Test func aStopBeforeTheFirstActionRunsNone() async throws {
        let lake = try await LakeFixture(rows: 20, feeds: Self.feeds)
        let session = try PlanSession.load(configPath: lake.config)
        let plan = try session.plan(at: Self.t1, includeExports: false)
        let stop = StopRequest()
        #expect(stop.request("SIGINT"))
        #expect(!stop.request("SIGTERM"))
        let (results, _) = try await Applier(storage: session.storage, clock: Clock { Self.t1 }, stop: stop).apply(plan) { _ in }
        #expect(results.isEmpty)
        #expect(try #require(Applier.interruption(plan, results: results, reason: stop.reason!))
            .hasPrefix("Interrupted (SIGINT): 0 of \(plan.actions.count) actions done; not run: register tx"))
        #expect(!lake.dir.exists("data_lake/feeds/active/tx.json"))
        await lake.stop()
    }

    @Test func handlersRunOnceAtTheRequestOrAtOnceAfterIt() {
        let stop = StopRequest()
        let calls = Mutex(0)
        stop.onRequest { calls.withLock { $0 += 1 } }
        #expect(calls.withLock { $0 } == 0)
        stop.request("SIGTERM")
        stop.request("SIGINT")
        #expect(calls.withLock { $0 } == 1)
        stop.onRequest { calls.withLock { $0 += 10 } }
        #expect(calls.withLock { $0 } == 11)
        #expect(stop.reason == "SIGTERM")
    }

    @Test func theNotRunListIsCountedPastTwentyActions() {
        let spec = FeedSpec(name: "f", type: .stream, source: "S")
        let actions = (0..<25).map { _ in PlanAction(kind: .chmod, feed: "f", feedType: .stream, spec: spec) }
        let plan = Plan(createdAt: "", configDigest: "", registryDigest: "", actions: actions)
        let summary = Applier.interruption(plan, results: [], reason: "SIGTERM")
        #expect(summary?.hasSuffix("chmod f, and 5 more") == true)
    }
}
