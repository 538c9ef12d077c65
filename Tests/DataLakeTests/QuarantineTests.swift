import Foundation
import Testing
@testable import DataLake
import DataLakeTestSupport
@testable import KsqlDBClient
@testable import LakeStorage
import Parquet

/// `on_check_failure: quarantine`: the rows that fail a row check go to `quarantine/<feed>/` with
/// `_failed_checks`, the rest is committed, both in one commit; retention, clean-up and lake
/// defaults treat them as the feed's data.
@Suite(.serialized) struct QuarantineTests {
    static let t1 = QualityCheckTests.t1
    static let checks = """
        checks:
          - not_null: [TRANSACTION_ID, USER_ID]
          - unique: [TRANSACTION_ID]
          - accepted_values: {column: CURRENCY, values: [EUR, USD, GBP, CHF, JPY]}
          - range: {column: AMOUNT, min: -100000, max: 100000}
          - range: {column: AMOUNT, max: 50000}
            severity: warn
        on_check_failure: quarantine

        """

    static func feed(_ extra: String = "") -> [String: String] {
        ["s.yaml": "feed_name: tx\nfeed_type: stream\nksqldb_source: transaction_stream\nretention_days: 365\n" + checks + extra]
    }

    static func insert(_ lake: LakeFixture, id: String, user: String? = "'user_0001'", amount: String = "10.00", currency: String = "EUR", at ms: Int64) throws {
        try QualityCheckTests.insert(lake, id: id, user: user, amount: amount, currency: currency, at: ms)
    }

    static var w: Int64 { Int64(t1.timeIntervalSince1970 * 1000) }

    /// The four kinds of broken rows of the issue, two good ones, and a warning-only one.
    static func insertBrokenRows(_ lake: LakeFixture) throws {
        try insert(lake, id: "ok-1", at: w + 1000)
        try insert(lake, id: "no-user", user: nil, at: w + 2000)
        try insert(lake, id: "dup", at: w + 3000)
        try insert(lake, id: "dup", at: w + 4000)
        try insert(lake, id: "yen", currency: "XXX", at: w + 5000)
        try insert(lake, id: "huge", amount: "500000.00", at: w + 6000)
        try insert(lake, id: "big", amount: "60000.00", at: w + 7000)
    }

    /// The lake's data files with mode, size and modification time (no directories, whose times
    /// change with any entry made and removed; no ctime, which a rename changes), but logs and registry.
    func lakeFiles(_ lake: LakeFixture) -> [String: String] {
        lake.dir.snapshot().filter { !$0.key.hasPrefix("data_lake/logs") && !$0.key.hasPrefix("data_lake/feeds") && !$0.value.contains(" -1 ") }
            .mapValues { $0.split(separator: " ").prefix(3).joined(separator: " ") }
    }

    func files(_ lake: LakeFixture, under prefix: String) -> [String] {
        lake.dir.snapshot().keys.filter { $0.hasPrefix(prefix) && $0.hasSuffix(".parquet") && !$0.contains("/.") }.sorted()
    }

    @Test func failingRowsGoToQuarantineTheRestIsCommittedAndASecondApplyChangesNothing() async throws {
        let lake = try await LakeFixture(rows: 60, feeds: Self.feed())
        try await lake.apply(at: Self.t1)
        #expect(!lake.dir.exists("data_lake/quarantine"), "nothing failed: no quarantine directory")
        let before = try lake.metadata("streams/tx")
        try Self.insertBrokenRows(lake)

        let (_, results) = try await lake.apply(at: Self.t1 + 3600)
        let outcome = try #require(lake.outcome(results, "tx"))
        #expect(outcome.rows == 3, "ok-1, the first dup, and the warning-only big amount")
        #expect(outcome.quarantined == 4, "no-user, the second dup, yen, huge")
        let meta = try lake.metadata("streams/tx")
        #expect(meta.totalRecords == before.totalRecords + 3)
        #expect(meta.quarantineFiles.reduce(0) { $0 + $1.rows } == 4)
        #expect(meta.pendingQuarantine.isEmpty && meta.pending.isEmpty)
        #expect(meta.watermark! > before.watermark!)
        #expect(meta.lastChecks.first { $0.check == "unique(TRANSACTION_ID)" }?.rowsFailed == 1)

        let quarantined = files(lake, under: "data_lake/quarantine/tx/")
        #expect(quarantined.count == 1 && quarantined[0].hasPrefix("data_lake/quarantine/tx/year=2025/month=01/day=16/data_"), "\(quarantined)")
        let footer = try FooterReader.read(path: lake.dir.url(quarantined[0]))
        #expect(footer.numRows == 4)
        #expect(footer.schema.contains { $0.name == "_failed_checks" })
        #expect(footer.schema.contains { $0.name == "TRANSACTION_ID" })

        // Exactly once, both parts: nothing new, nothing written, no byte changed.
        let snapshot = lake.dir.snapshot().filter { !$0.key.hasPrefix("data_lake/logs") }
        let (plan, again) = try await lake.apply(at: Self.t1 + 3660)
        #expect(lake.outcome(again, "tx")?.quarantined == 0)
        #expect(!plan.actions.contains { $0.kind == .cleanup })
        #expect(lake.dir.snapshot().filter { !$0.key.hasPrefix("data_lake/logs") } == snapshot)
        await lake.stop()
    }

    @Test func aWholeExportCheckCannotBeQuarantinedSoTheExportFails() async throws {
        let lake = try await LakeFixture(rows: 60, feeds: Self.feed())
        try await lake.apply(at: Self.t1)
        _ = lake.dir.write("feeds.d/s.yaml", "feed_name: tx\nfeed_type: stream\nksqldb_source: transaction_stream\nretention_days: 365\n"
                           + Self.checks.replacingOccurrences(of: "on_check_failure", with: "  - row_count: {min: 100}\non_check_failure"))
        try Self.insertBrokenRows(lake)
        let before = lakeFiles(lake)
        await #expect {
            try await lake.apply(at: Self.t1 + 3600)
        } throws: { error in
            "\(error)".contains("row_count(min 100): failed, 7 rows") && "\(error)".contains("nothing committed")
        }
        #expect(!lake.dir.exists("data_lake/quarantine/tx"), "neither part is committed")
        #expect(lakeFiles(lake) == before)
        #expect(lake.dir.snapshot().keys.filter { $0.hasPrefix("data_lake/streams/tx/year=2025/month=01/day=16") }.isEmpty, "no stray directory")
        await lake.stop()
    }

    @Test func anInterruptedCommitIsFinishedForBothPartsByTheNextPlan() async throws {
        let lake = try await LakeFixture(rows: 60, feeds: Self.feed())
        try await lake.apply(at: Self.t1)
        try Self.insertBrokenRows(lake)
        let (_, results) = try await lake.apply(at: Self.t1 + 3600)
        let outcome = try #require(lake.outcome(results, "tx"))
        let committed = lakeFiles(lake).filter { !$0.key.hasSuffix("_metadata.json") }

        // Back to the state of a crash between the metadata's decision and the renames.
        let storage = LocalLakeStorage(root: lake.dir.url("data_lake"))
        var meta = try lake.metadata("streams/tx")
        let dataFile = try #require(outcome.files.first)
        let quarantineFile = try #require(meta.quarantineFiles.last?.path)
        for path in ["streams/tx/" + dataFile, "quarantine/tx/" + quarantineFile] {
            let p = try LakePath(path)
            try FileManager.default.moveItem(atPath: lake.dir.url("data_lake/" + path), toPath: lake.dir.url("data_lake/" + storage.stagedPath(of: p).value))
        }
        meta.pending = [dataFile]
        meta.pendingQuarantine = [quarantineFile]
        try storage.put(try LakePath("streams/tx/_metadata.json"), Array(meta.json.rendered().utf8), mode: 0o644)

        let (plan, _) = try await lake.apply(at: Self.t1 + 3660)
        let cleanup = try #require(plan.actions.first { $0.kind == .cleanup })
        #expect(Set(cleanup.publish.map(\.path)) == ["streams/tx/\(dataFile)", "quarantine/tx/\(quarantineFile)"])
        let after = try lake.metadata("streams/tx")
        #expect(after.pending.isEmpty && after.pendingQuarantine.isEmpty)
        #expect(lake.dir.exists("data_lake/quarantine/tx/" + quarantineFile) && lake.dir.exists("data_lake/streams/tx/" + dataFile))
        #expect(after.quarantineFiles == meta.quarantineFiles && after.files == meta.files)
        #expect(lakeFiles(lake).filter { !$0.key.hasSuffix("_metadata.json") } == committed,
                "every file back under its name, byte for byte")
        await lake.stop()
    }

    @Test func aStagedQuarantineLeftoverIsCleanedUpAndASavedPlanMayNameIt() async throws {
        let lake = try await LakeFixture(rows: 60, feeds: Self.feed())
        try await lake.apply(at: Self.t1)
        let storage = LocalLakeStorage(root: lake.dir.url("data_lake"))
        let path = try LakePath("quarantine/tx/year=2025/month=01/day=16/data_x.parquet")
        try storage.makeDirectories(path.parent!, mode: 0o755)
        let staged = try storage.stage(path, mode: 0o644)
        try [UInt8]([1, 2, 3]).withUnsafeBytes { try staged.write($0) }
        try staged.finish()
        let leftover = storage.stagedPath(of: path).value
        #expect(lake.dir.exists("data_lake/" + leftover))

        let session = try PlanSession.load(configPath: lake.config)
        let plan = try session.plan(at: Self.t1 + 60, includeExports: false)
        let cleanup = try #require(plan.actions.first { $0.kind == .cleanup })
        #expect(cleanup.paths.map(\.path) == [leftover])
        #expect(SavedPlanValidator(session: session, file: "plan.json", today: CivilDate.epochDay(ms: Self.w)).problems(cleanup).isEmpty)
        var forged = cleanup
        forged.paths = [PlanPath(path: "quarantine/other/" + leftover.dropFirst("quarantine/tx/".count), bytes: 0)]
        #expect(!SavedPlanValidator(session: session, file: "plan.json", today: CivilDate.epochDay(ms: Self.w)).problems(forged).isEmpty, "another feed's quarantine")

        try await lake.apply(at: Self.t1 + 60)
        #expect(!lake.dir.exists("data_lake/" + leftover))
        await lake.stop()
    }

    @Test func quarantinedRowsExpireWithTheFeedsRetention() async throws {
        let lake = try await LakeFixture(rows: 60, feeds: Self.feed().mapValues { $0.replacingOccurrences(of: "retention_days: 365", with: "retention_days: 2") })
        // A broken row already there on the first day of the demo.
        try Self.insert(lake, id: "no-user", user: nil, at: Int64(LakeFixture.date("2025-01-13T10:00:00Z").timeIntervalSince1970 * 1000))
        try await lake.apply(at: LakeFixture.date("2025-01-15T12:00:00Z"))
        #expect(lake.dir.exists("data_lake/quarantine/tx/year=2025/month=01/day=13"))
        #expect(try lake.metadata("streams/tx").quarantineFiles.count == 1)

        let (plan, _) = try await lake.apply(at: LakeFixture.date("2025-01-16T12:00:00Z"))
        let expire = try #require(plan.actions.first { $0.kind == .expire })
        #expect(expire.paths.map(\.path).contains("quarantine/tx/year=2025/month=01/day=13"))
        #expect(!lake.dir.exists("data_lake/quarantine/tx/year=2025/month=01/day=13"))
        #expect(!lake.dir.exists("data_lake/quarantine/tx/year=2025"), "the emptied month and year go too")
        #expect(try lake.metadata("streams/tx").quarantineFiles.isEmpty)
        await lake.stop()
    }

    @Test func lakeDefaultsGiveChecksToFeedsThatSayNothing() throws {
        let dir = TempDirectory()
        let config = dir.makeProject(lake: """
            root: data_lake
            feeds_dir: feeds.d
            defaults:
              streams:
                checks:
                  - row_count: {min: 1}
                on_check_failure: quarantine
              tables:
                checks:
                  - not_null: [ID]
                on_check_failure: warn

            """, feeds: [
                "a.yaml": "feed_name: a\nfeed_type: stream\nksqldb_source: s1\n",
                "b.yaml": "feed_name: b\nfeed_type: stream\nksqldb_source: s2\nchecks: []\non_check_failure: fail\n",
                "c.yaml": "feed_name: c\nfeed_type: table\nksqldb_source: t1\n",
            ])
        let desired = try DesiredStateLoader.load(configPath: config)
        let spec = { (name: String) in desired.feed(named: name)!.spec }
        #expect(spec("a").checks.map(\.name) == ["row_count(min 1)"] && spec("a").onCheckFailure == .quarantine)
        #expect(spec("b").checks.isEmpty && spec("b").onCheckFailure == .fail)
        #expect(spec("c").checks.map(\.name) == ["not_null(ID)"] && spec("c").onCheckFailure == .warn)

        let bad = TempDirectory()
        let badConfig = bad.makeProject(lake: "root: data_lake\ndefaults:\n  tables:\n    on_check_failure: quarantine\n", feeds: [:])
        let errors = loadErrors(badConfig, base: bad.path)
        #expect(errors.count == 1 && errors[0].hasPrefix("lake.yaml:4:23: ") && errors[0].contains("\"fail\", \"warn\""), "\(errors)")
    }
}
