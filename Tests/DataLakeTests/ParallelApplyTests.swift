import Foundation
import Testing
@testable import DataLake
@testable import KsqlDBClient
@testable import KsqlDBEmulator

/// `max_parallel_feeds`: the feeds' actions run at once, each feed's in order; what the lake ends
/// with, the results and the lines are those of a one-at-a-time apply, in plan order.
@Suite(.serialized) struct ParallelApplyTests {
    static let t1 = LakeFixture.date("2025-01-16T00:00:00Z")
    static let feeds = [
        "a.yaml": "feed_name: a\nfeed_type: stream\nksqldb_source: transaction_stream\nretention_days: 3650\n",
        "b.yaml": "feed_name: b\nfeed_type: stream\nksqldb_source: transaction_flattened\nretention_days: 3650\n",
        "c.yaml": "feed_name: c\nfeed_type: stream\nksqldb_source: transaction_stream_anonymized\nretention_days: 3650\n",
        "d.yaml": "feed_name: d\nfeed_type: table\nksqldb_source: user_transaction_summary\n",
        // Fails at its export (a check no row passes): the other feeds go on.
        "e.yaml": "feed_name: e\nfeed_type: stream\nksqldb_source: transaction_stream_blacklisted\nretention_days: 3650\n"
            + "checks:\n  - row_count: {max: 0}\n",
    ]

    struct Run {
        var plan: Plan
        var results: [ActionResult]
        var lines: [String]
        var events: [String]
        var files: [String: Int]
    }

    /// The five feeds' lake, its plan at `t1`, and an applier of it running `parallel` feeds at once.
    static func planned(parallel: Int, stop: StopRequest? = nil) async throws -> (LakeFixture, KsqlDBClient, Plan, Applier) {
        let lake = try await LakeFixture(rows: 40, feeds: feeds)
        // Rows trickle in, so that exports running at once interleave their progress.
        lake.emulator.setFaults(EmulatorFaults(rowDelay: .milliseconds(3)))
        let session = try PlanSession.load(configPath: lake.config)
        let client = KsqlDBClient(configuration: try session.desired.config.ksqldb.clientConfiguration())
        let sources = try await SourceRefresher(client: client).refresh(session.desired.feeds.map(\.spec))
        let plan = try session.plan(at: t1, sources: sources, includeExports: true)
        var applier = Applier(storage: session.storage, clock: Clock { t1 },
                              exports: ExportSettings(client: client, parquet: session.desired.config.parquet), stop: stop)
        applier.maxParallelFeeds = parallel
        return (lake, client, plan, applier)
    }

    static func run(parallel: Int) async throws -> Run {
        let (lake, client, plan, applier) = try await planned(parallel: parallel)
        var lines: [String] = [], events: [String] = []
        let (results, _) = try await applier.apply(plan) { event in
            switch event {
            case let .started(a): events.append("start \(a.feed)")
            case let .rows(a, _): events.append("rows \(a.feed)")
            case let .finished(_, line): lines.append(line.replacingOccurrences(of: #" \([0-9.]+s\)$"#, with: "", options: .regularExpression))
            }
        }
        try await client.shutdown()
        await lake.stop()
        var files: [String: Int] = [:]
        for feed in ["streams/a", "streams/b", "streams/c", "tables/d", "streams/e"] {
            let root = lake.dir.url("data_lake/\(feed)")
            let all = FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? []
            for f in all where f.hasSuffix(".parquet") {
                files["\(feed)/\(f)"] = try lake.metadata(feed).files.first { $0.path == f }?.rows ?? -1
            }
        }
        return Run(plan: plan, results: results, lines: lines, events: events, files: files)
    }

    /// True when two feeds' row events interleave: one feed's rows came between another's.
    static func interleaved(_ events: [String]) -> Bool {
        var last: String?
        var closed: Set<String> = []
        for e in events where e.hasPrefix("rows ") {
            let feed = String(e.dropFirst(5))
            if closed.contains(feed) { return true }
            if let l = last, l != feed { closed.insert(l) }
            last = feed
        }
        return false
    }

    @Test func feedsRunAtOnceAndTheApplyReadsAsOneAtATime() async throws {
        let one = try await Self.run(parallel: 1)
        let many = try await Self.run(parallel: 4)
        #expect(!Self.interleaved(one.events), "one at a time: no two exports overlap")
        #expect(Self.interleaved(many.events), "four at once: exports overlap (\(many.events.count) events)")

        for r in [one, many] {
            #expect(r.results.map(\.index) == Array(r.plan.actions.indices), "every action ran, results in plan order")
            #expect(r.results.map(\.action.feed) == r.plan.actions.map(\.feed))
            #expect(r.lines.count == r.plan.actions.count)
            let failed = r.results.filter { $0.error != nil }.map(\.action.feed)
            #expect(failed == ["e"], "only e's export fails: \(failed)")
        }
        #expect(one.lines == many.lines, "the same lines in the same order")
        #expect(!one.files.isEmpty && one.files == many.files, "the same files with the same rows")
        #expect(!many.files.keys.contains { $0.hasPrefix("streams/e/") })
    }

    @Test func aStopWhileFeedsRunNamesEveryActionNotRun() async throws {
        let stop = StopRequest()
        let (lake, client, plan, applier) = try await Self.planned(parallel: 2, stop: stop)
        var rows = 0
        let (results, _) = try await applier.apply(plan) { event in
            if case .rows = event { rows += 1; if rows == 5 { stop.request("SIGTERM") } }
        }
        try await client.shutdown()
        await lake.stop()
        let ran = Set(results.filter { !$0.interrupted }.map(\.index))
        let notRun = plan.actions.indices.filter { !ran.contains($0) }
        #expect(!notRun.isEmpty && ran.count < plan.actions.count)
        let summary = try #require(Applier.interruption(plan, results: results, reason: "SIGTERM"))
        for i in notRun { #expect(summary.contains("\(plan.actions[i].kind.rawValue) \(plan.actions[i].feed)"), "\(summary)") }
        #expect(results.map(\.index) == results.map(\.index).sorted(), "results in plan order")
    }
}
