import Foundation
import Testing
@testable import DataLake
import DataLakeTestSupport
@testable import KsqlDBClient
@testable import LakeStorage

/// Data quality checks gate the commit: a failing error check leaves the feed as it was (no file,
/// same watermark and versions) while the other feeds go on; a warning commits and says so; checks
/// are validated at their line and column.
@Suite(.serialized) struct QualityCheckTests {
    static let t1 = LakeFixture.date("2025-01-16T00:00:00Z")
    static let checks = """
        checks:
          - not_null: [TRANSACTION_ID, USER_ID]
          - unique: [TRANSACTION_ID]
          - accepted_values: {column: CURRENCY, values: [EUR, USD, GBP, CHF, JPY]}
          - range: {column: AMOUNT, min: -100000, max: 100000}
          - row_count: {min: 1}

        """

    static func feeds(_ extra: String = "") -> [String: String] {
        ["s.yaml": "feed_name: tx\nfeed_type: stream\nksqldb_source: transaction_stream\nretention_days: 365\n" + checks + extra,
         "t.yaml": "feed_name: users\nfeed_type: table\nksqldb_source: user_transaction_summary\n"]
    }

    static func insert(_ lake: LakeFixture, id: String, user: String? = "'user_0001'", amount: String = "10.00", currency: String = "EUR", at ms: Int64) throws {
        try lake.insert("INSERT INTO transaction_stream (ROWTIME, TRANSACTION_ID, USER_ID, AMOUNT, CURRENCY) VALUES "
                        + "(\(ms), '\(id)', \(user ?? "NULL"), \(amount), '\(currency)');")
    }

    @Test func aFailingCheckCommitsNothingOfTheFeedAndTheOtherFeedsGoOn() async throws {
        let lake = try await LakeFixture(rows: 60, feeds: Self.feeds())
        let (_, first) = try await lake.apply(at: Self.t1)
        #expect(lake.outcome(first, "tx")?.checks.count == 5)
        #expect(lake.outcome(first, "tx")?.checks.allSatisfy(\.passed) == true)
        #expect(try lake.metadata("streams/tx").lastChecks.map(\.check) == ["not_null(TRANSACTION_ID, USER_ID)", "unique(TRANSACTION_ID)",
                                                                             "accepted_values(CURRENCY)", "range(AMOUNT)", "row_count(min 1)"])
        let w = Int64(Self.t1.timeIntervalSince1970 * 1000)
        try Self.insert(lake, id: "ok-1", at: w + 1000)
        try Self.insert(lake, id: "no-user", user: nil, at: w + 2000)
        try Self.insert(lake, id: "dup", at: w + 3000)
        try Self.insert(lake, id: "dup", at: w + 4000)
        try Self.insert(lake, id: "yen", currency: "XXX", at: w + 5000)
        try Self.insert(lake, id: "huge", amount: "500000.00", at: w + 6000)
        let before = try lake.metadata("streams/tx")
        let files = lake.dir.snapshot().keys.filter { $0.hasPrefix("data_lake/streams/tx/") && $0.hasSuffix(".parquet") }

        let t2 = Self.t1.addingTimeInterval(3600)
        let session = try PlanSession.load(configPath: lake.config)
        let client = KsqlDBClient(configuration: try session.desired.config.ksqldb.clientConfiguration())
        let plan = try session.plan(at: t2, sources: try await SourceRefresher(client: client).refresh(session.desired.feeds.map(\.spec)), includeExports: true)
        #expect(TextPlanRenderer(color: false).render(plan).contains("checks: not_null(TRANSACTION_ID, USER_ID), unique(TRANSACTION_ID)"))
        let (results, _) = try await Applier(storage: session.storage, clock: Clock { t2 },
                                             exports: ExportSettings(client: client, parquet: session.desired.config.parquet)).apply(plan) { _ in }
        try await client.shutdown()
        let txResult = results.first { (r: ActionResult) -> Bool in r.action.feed == "tx" && r.action.kind == .export }
        let failed = try #require(txResult?.error)
        #expect(failed.contains("4 checks failed, nothing committed"))
        #expect(failed.contains("not_null(TRANSACTION_ID, USER_ID): 1 of 6 rows failed"))
        #expect(failed.contains("unique(TRANSACTION_ID): 1 of 6 rows failed"))
        #expect(failed.contains("accepted_values(CURRENCY): 1 of 6 rows failed"))
        #expect(failed.contains("range(AMOUNT): 1 of 6 rows failed"))
        #expect(!failed.contains("XXX") && !failed.contains("500000"), "row numbers, never values")
        // The feed is as it was: same metadata, no new file; the table still snapshotted.
        #expect(try lake.metadata("streams/tx") == before)
        #expect(lake.dir.snapshot().keys.filter { $0.hasPrefix("data_lake/streams/tx/") && $0.hasSuffix(".parquet") }.sorted() == files.sorted())
        #expect(results.first { $0.action.feed == "users" }?.error == nil)
        #expect(try lake.metadata("tables/users").versions.count == 2)
        await lake.stop()
    }

    @Test func aWarningCheckCommitsAndSaysSo() async throws {
        let lake = try await LakeFixture(rows: 60, feeds: Self.feeds("on_check_failure: warn\n"))
        try await lake.apply(at: Self.t1)
        let w = Int64(Self.t1.timeIntervalSince1970 * 1000)
        try Self.insert(lake, id: "no-user", user: nil, at: w + 2000)
        var lines: [String] = []
        let session = try PlanSession.load(configPath: lake.config)
        let client = KsqlDBClient(configuration: try session.desired.config.ksqldb.clientConfiguration())
        let plan = try session.plan(at: Self.t1 + 3600, sources: try await SourceRefresher(client: client).refresh(session.desired.feeds.map(\.spec)), includeExports: true)
        let (results, _) = try await Applier(storage: session.storage, clock: Clock { Self.t1 + 3600 },
                                             exports: ExportSettings(client: client, parquet: session.desired.config.parquet)).apply(plan) { p in
            if case let .finished(_, line) = p { lines.append(line) }
        }
        try await client.shutdown()
        #expect(results.allSatisfy { $0.error == nil })
        #expect(lines.contains { $0.hasPrefix("export stream tx: ok, 1 row,") && $0.contains("CHECK WARNINGS: not_null(TRANSACTION_ID, USER_ID): 1 of 1 row failed") })
        #expect(try lake.metadata("streams/tx").lastChecks.first { $0.check.hasPrefix("not_null") }?.rowsFailed == 1)
        await lake.stop()
    }

    @Test func aRowCountCheckFailsAnExportWithNothingNewAndWritesNothing() async throws {
        let lake = try await LakeFixture(rows: 60, feeds: Self.feeds())
        try await lake.apply(at: Self.t1)
        // The unchanged table's directory gained and lost the staged version it was read into: its times alone moved.
        let before = lake.dir.snapshot(exceptTimesOf: ["data_lake/tables/users"]).filter { !$0.key.hasPrefix("data_lake/logs") }
        await #expect(throws: (any Error).self) { try await lake.apply(at: Self.t1 + 60) }
        #expect(lake.dir.snapshot(exceptTimesOf: ["data_lake/tables/users"]).filter { !$0.key.hasPrefix("data_lake/logs") } == before)
        await lake.stop()
    }

    @Test(arguments: [
        ("  - not_nul: [A]\n", "unknown key \"not_nul\""),
        ("  - range: {column: AMOUNT, min: 5, max: 1}\n", "min 5.0 is above max 1.0"),
        ("  - range: {column: AMOUNT, min: low}\n", "\"min\" must be a number"),
        ("  - accepted_values: {column: CURRENCY}\n", "\"values\""),
        ("  - not_null: []\n", "names at least one column"),
        ("  - unique: [A]\n    not_null: [B]\n", "names unique and not_null"),
        ("  - row_count: {min: 1}\n    severity: fatal\n", "\"severity\""),
        ("  - freshness: {max_age_minutes: 0}\n", "between 1 and"),
    ])
    func badChecksAreErrorsAtTheirLine(check: String, message: String) throws {
        let dir = TempDirectory()
        let config = dir.makeProject(feeds: ["s.yaml": "feed_name: tx\nfeed_type: stream\nksqldb_source: transaction_stream\nchecks:\n" + check])
        let errors = loadErrors(config, base: dir.path)
        #expect(errors.count == 1 && errors[0].contains(message), "\(errors)")
        #expect(errors.first?.hasPrefix("feeds.d/s.yaml:") == true && errors.first?.range(of: #":\d+:\d+: "#, options: .regularExpression) != nil)
    }

    @Test func theRunnerJudgesTokensAsKsqlDBWritesThem() throws {
        for (text, value) in [("-123.45", -123.45), ("0.1", 0.1), ("1.0E7", 1e7), ("42", 42.0), ("123456789012345678901", 1.2345678901234568e20)] {
            #expect(Array(text.utf8).withUnsafeBytes { QualityCheckRunner.number($0) } == value, "\(text)")
        }
        #expect(Array("12a".utf8).withUnsafeBytes { QualityCheckRunner.number($0) } == nil)
        let fields = [KsqlField(name: "ROWTIME", type: .bigint), KsqlField(name: "CITY", type: .string), KsqlField(name: "AMOUNT", type: .decimal(precision: 10, scale: 2))]
        let runner = try QualityCheckRunner(checks: [QualityCheck(.acceptedValues(column: "CITY", values: ["a/b", "Zürich", "say \"hi\""])),
                                                     QualityCheck(.range(column: "AMOUNT", min: 0, max: 10))], fields: fields, feed: "t")
        let lines = [#"[1,"a/b",1.00]"#, #"[2,"Zürich",10.00]"#, #"[3,"say \"hi\"",null]"#, #"[4,"Paris",10.01]"#, #"[5,null,-0.01]"#]
        for (i, l) in lines.enumerated() { _ = Array(l.utf8).withUnsafeBytes { runner.observe($0, row: i + 1) } }
        let outcomes = runner.outcomes(newestEvent: nil, now: 0)
        #expect(outcomes[0].firstRows == [4], "accepted_values: only Paris fails, null passes")
        #expect(outcomes[1].firstRows == [4, 5], "range: 10.01 and -0.01 fail, null passes")
    }

    @Test func quarantineAndFreshnessOnTablesAreRefusedClearly() throws {
        let dir = TempDirectory()
        let config = dir.makeProject(feeds: [
            "s.yaml": "feed_name: tx\nfeed_type: stream\nksqldb_source: transaction_stream\non_check_failure: quarantine\n",
            "t.yaml": "feed_name: users\nfeed_type: table\nksqldb_source: users\non_check_failure: quarantine\nchecks:\n  - freshness: {max_age_minutes: 5}\n",
        ])
        let errors = loadErrors(config, base: dir.path)
        #expect(errors.count == 2, "\(errors)")
        #expect(errors.contains { $0.hasPrefix("feeds.d/t.yaml:4:19: ") && $0.contains("quarantine\" applies to streams only") })
        #expect(errors.contains { $0.contains("\"freshness\" check applies to streams only") })
    }

    @Test(arguments: [("  - not_null: [NOPE]\n", "check not_null(NOPE) names the column NOPE, which the source does not have"),
                      ("  - range: {column: CURRENCY, min: 0}\n", "check range(CURRENCY) needs a number column; CURRENCY is STRING")])
    func aCheckThatDoesNotFitTheSourceIsAPlanErrorAtTheFeed(check: String, message: String) async throws {
        let lake = try await LakeFixture(rows: 20, feeds: ["s.yaml": "feed_name: tx\nfeed_type: stream\nksqldb_source: transaction_stream\nchecks:\n" + check])
        await #expect {
            try await lake.apply(at: Self.t1)
        } throws: { error in
            "\(error)".contains(message) && "\(error)".contains("s.yaml:1:1")
        }
        // Refused at plan time: nothing was registered or created.
        #expect(!lake.dir.exists("data_lake/feeds/active/tx.json"))
        await lake.stop()
    }
}
