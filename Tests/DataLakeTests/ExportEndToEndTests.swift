import Foundation
import Testing
@testable import DataLake
import DataLakeTestSupport
@testable import KsqlDBClient
@testable import KsqlParquet
@testable import LakeStorage
@testable import KsqlDBEmulator

/// Exports over real HTTP against the emulator: exactly-once appends, snapshots and versions,
/// retention, faults.
@Suite(.serialized) struct ExportEndToEndTests {
    static let t1 = LakeFixture.date("2025-01-16T00:00:00Z")
    static let feeds = [
        "s.yaml": "feed_name: tx\nfeed_type: stream\nksqldb_source: transaction_stream\nretention_days: 365\n",
        "t.yaml": "feed_name: users\nfeed_type: table\nksqldb_source: user_transaction_summary\nversions_to_keep: 7\n",
    ]

    static func row(_ id: String, at ms: Int64, amount: String = "10.00") -> String {
        "INSERT INTO transaction_stream (ROWTIME, TRANSACTION_ID, USER_ID, AMOUNT, CURRENCY) VALUES (\(ms), '\(id)', 'user_0001', \(amount), 'EUR');"
    }

    @Test func exactlyOnceAcrossRunsWithLateEventsAndDuplicates() async throws {
        let lake = try await LakeFixture(feeds: Self.feeds)
        let w1 = Int64(Self.t1.timeIntervalSince1970 * 1000)
        try lake.insert(Self.row("x", at: w1 - 30 * 60_000))

        let (_, first) = try await lake.apply(at: Self.t1)
        let total = try lake.sourceRows("TRANSACTION_STREAM")
        #expect(lake.outcome(first, "tx")?.rows == total)
        var meta = try lake.metadata("streams/tx")
        #expect(meta.totalRecords == total && meta.watermark == w1 && meta.pending.isEmpty)
        #expect(meta.partitions == ["year=2025/month=01/day=13", "year=2025/month=01/day=14", "year=2025/month=01/day=15"])

        // Nothing new: the lake is left byte for byte (the unchanged table's directory gained and lost
        // the staged version it was read into: its times alone moved).
        let before = lake.dir.snapshot(exceptTimesOf: ["data_lake/tables/users"])
        let (_, idle) = try await lake.apply(at: Self.t1.addingTimeInterval(60))
        #expect(idle.allSatisfy { !$0.changed })
        #expect(lake.dir.snapshot(exceptTimesOf: ["data_lake/tables/users"]) == before)

        // A new event, a late one (within the hour of lateness), an exact duplicate of an exported row,
        // and a pair of identical new rows: the next apply appends exactly these five.
        try lake.insert(Self.row("a", at: w1 + 5 * 60_000))
        try lake.insert(Self.row("b", at: w1 - 20 * 60_000))
        try lake.insert(Self.row("x", at: w1 - 30 * 60_000))
        try lake.insert(Self.row("c", at: w1 + 6 * 60_000))
        try lake.insert(Self.row("c", at: w1 + 6 * 60_000))
        let t2 = Self.t1.addingTimeInterval(3600)
        let (_, second) = try await lake.apply(at: t2)
        #expect(lake.outcome(second, "tx")?.rows == 5)
        #expect((lake.outcome(second, "tx")?.duplicatesDropped ?? 0) >= 1)
        meta = try lake.metadata("streams/tx")
        #expect(meta.totalRecords == total + 5)
        #expect(meta.totalRecords == (try lake.sourceRows("TRANSACTION_STREAM")))
        #expect(meta.watermark == Int64(t2.timeIntervalSince1970 * 1000))
        #expect(meta.partitions.last == "year=2025/month=01/day=16")

        // And nothing twice afterwards.
        let (_, third) = try await lake.apply(at: t2.addingTimeInterval(60))
        #expect(lake.outcome(third, "tx")?.changed == false)
        #expect(try lake.metadata("streams/tx").totalRecords == total + 5)
        await lake.stop()
    }

    @Test func tablesMakeVersionsOnlyOnChangeAndKeepTheLastSeven() async throws {
        let lake = try await LakeFixture(rows: 100, feeds: Self.feeds)
        var now = Self.t1
        try await lake.apply(at: now)
        #expect(try lake.metadata("tables/users").versions.map(\.number) == [1])
        now += 60
        let (_, same) = try await lake.apply(at: now)
        #expect(lake.outcome(same, "users")?.changed == false)
        for i in 1...9 {
            try lake.insert(Self.row("v\(i)", at: Int64(now.timeIntervalSince1970 * 1000) - 1000, amount: "\(i).00"))
            now += 60
            let (_, r) = try await lake.apply(at: now)
            #expect(lake.outcome(r, "users")?.files.count == 1)
        }
        let meta = try lake.metadata("tables/users")
        #expect(meta.versions.map(\.number) == Array(4...10))
        let dirs = try FileManager.default.contentsOfDirectory(atPath: lake.dir.url("data_lake/tables/users")).filter { $0.hasPrefix("version=") }.sorted()
        #expect(dirs == (4...10).map { "version=v\($0)" }.sorted())
        #expect(meta.latestVersion?.file.path.hasPrefix("version=v10/snapshot_") == true)
        await lake.stop()
    }

    @Test func retentionExpiresOldDayPartitionsByTheInjectedToday() async throws {
        let lake = try await LakeFixture(rows: 60, feeds: Self.feeds)
        try await lake.apply(at: Self.t1)
        // A year later (365 days of retention): 2025-01-13 and 14 are past it, 15 is not.
        let later = LakeFixture.date("2026-01-15T12:00:00Z")
        let session = try PlanSession.load(configPath: lake.config)
        let plan = try session.plan(at: later, includeExports: false)
        let expire = try #require(plan.actions.first { $0.kind == .expire })
        #expect(expire.paths.map(\.path) == ["streams/tx/year=2025/month=01/day=13", "streams/tx/year=2025/month=01/day=14"])
        #expect(expire.paths.allSatisfy { $0.bytes > 0 })
        let (results, _) = try await Applier(storage: session.storage, clock: Clock { later }).apply(plan) { _ in }
        #expect(results.allSatisfy { $0.error == nil })
        #expect(!lake.dir.exists("data_lake/streams/tx/year=2025/month=01/day=13"))
        #expect(lake.dir.exists("data_lake/streams/tx/year=2025/month=01/day=15"))
        let meta = try lake.metadata("streams/tx")
        #expect(meta.partitions == ["year=2025/month=01/day=15"])
        #expect(try PlanSession.load(configPath: lake.config).plan(at: later, includeExports: false).actions.isEmpty)
        await lake.stop()
    }

    static let faults = [EmulatorFaults(dropConnectionAfterRows: 40), EmulatorFaults(midStreamErrorAfterRows: 40),
                         EmulatorFaults(malformedRowAt: 40), EmulatorFaults(failStatus: 500)]

    @Test(arguments: 0..<4)
    func faultFailsTheApplyLeavesTheCommittedStateAndTheNextApplyCompletes(faultIndex: Int) async throws {
        let fault = Self.faults[faultIndex]
        let lake = try await LakeFixture(rows: 200, feeds: ["s.yaml": Self.feeds["s.yaml"]!])
        try await lake.apply(at: Self.t1)
        let w1 = Int64(Self.t1.timeIntervalSince1970 * 1000)
        for i in 0..<100 { try lake.insert(Self.row("n\(i)", at: w1 + Int64(i) * 1000)) }
        let committed = lake.dir.read("data_lake/streams/tx/_metadata.json")
        let before = lake.dir.snapshot()
        lake.emulator.setFaults(fault)
        await #expect(throws: (any Error).self) { try await lake.apply(at: Self.t1.addingTimeInterval(3600)) }
        #expect(lake.dir.read("data_lake/streams/tx/_metadata.json") == committed)
        // No visible file appeared (the log of the failed apply aside).
        let visible = lake.dir.snapshot().keys.filter { !$0.hasPrefix("data_lake/logs") && !$0.contains("/.") }
        #expect(Set(visible) == Set(before.keys.filter { !$0.hasPrefix("data_lake/logs") }))
        lake.emulator.setFaults(EmulatorFaults())
        try await lake.apply(at: Self.t1.addingTimeInterval(3600))
        #expect(try lake.metadata("streams/tx").totalRecords == (try lake.sourceRows("TRANSACTION_STREAM")))
        await lake.stop()
    }

    @Test func exportDateOfATableIsRefusedClearly() async throws {
        let lake = try await LakeFixture(rows: 30, feeds: Self.feeds)
        try await lake.apply(at: Self.t1)
        let session = try PlanSession.load(configPath: lake.config)
        let client = KsqlDBClient(configuration: try session.desired.config.ksqldb.clientConfiguration())
        await #expect {
            _ = try await session.exportPlan(at: Self.t1, feeds: ["users"], day: "2025-01-14", client: client)
        } throws: { error in
            "\(error)".contains("export --date applies to streams; \"users\" is a table")
        }
        #expect(try await session.exportPlan(at: Self.t1, feeds: ["tx"], day: "2025-01-14", client: client).actions.contains { $0.kind == .export })
        try await client.shutdown()
        await lake.stop()
    }

    @Test func exportDateOnlyWritesThatDayAndStillNoDuplicates() async throws {
        let lake = try await LakeFixture(rows: 90, feeds: ["s.yaml": Self.feeds["s.yaml"]!])
        let (_, first) = try await lake.apply(at: Self.t1, day: "2025-01-14")
        let meta = try lake.metadata("streams/tx")
        #expect(meta.partitions == ["year=2025/month=01/day=14"])
        #expect(meta.watermark == nil)
        let dayRows = lake.outcome(first, "tx")!.rows
        #expect(dayRows > 0)
        let (_, all) = try await lake.apply(at: Self.t1)
        #expect(lake.outcome(all, "tx")!.rows == (try lake.sourceRows("TRANSACTION_STREAM")) - dayRows)
        #expect(try lake.metadata("streams/tx").totalRecords == (try lake.sourceRows("TRANSACTION_STREAM")))
        await lake.stop()
    }
}
