import Foundation
import Testing
@testable import DataLake
import DataLakeTestSupport
@testable import KsqlDBClient
@testable import LakeStorage
@testable import KsqlDBEmulator

/// Exactly once whatever the config or the clocks do: lateness raised and lowered, a clock stepped
/// back, events already past retention, a lake whose metadata went missing, a table whose columns
/// changed but not its values.
@Suite(.serialized) struct ExactlyOnceTests {
    static let t1 = LakeFixture.date("2025-01-16T00:00:00Z")

    static func feed(lateness: Int = 60, retention: Int = 365) -> [String: String] {
        ["s.yaml": "feed_name: tx\nfeed_type: stream\nksqldb_source: transaction_stream\nretention_days: \(retention)\nlateness_minutes: \(lateness)\n"]
    }

    static func ms(_ d: Date) -> Int64 { Int64(d.timeIntervalSince1970 * 1000) }

    @Test func raisingOrLoweringLatenessNeitherDuplicatesNorLoses() async throws {
        let lake = try await LakeFixture(rows: 400, feeds: Self.feed())
        try await lake.apply(at: Self.t1)
        let total = try lake.sourceRows("TRANSACTION_STREAM")
        #expect(try lake.metadata("streams/tx").totalRecords == total)
        // Two days of lateness: the fingerprints cover one hour, so the next export reads no further back.
        lake.dir.write("feeds.d/s.yaml", Self.feed(lateness: 2880)["s.yaml"]!)
        let (plan, _) = try await lake.apply(at: Self.t1 + 60)
        #expect(plan.actions.first { $0.kind == .export }?.window?.from == Self.ms(Self.t1) - 3_600_000)
        #expect(try lake.metadata("streams/tx").totalRecords == total)
        // An event older than what the fingerprints cover is not read (the raise applies from now on);
        // a late one within them is exported once, and the fingerprints keep their start.
        try lake.insert(ExportEndToEndTests.row("too-late", at: Self.ms(Self.t1) - 20 * 3_600_000))
        try lake.insert(ExportEndToEndTests.row("late", at: Self.ms(Self.t1) - 30 * 60_000))
        try await lake.apply(at: Self.t1 + 120)
        try await lake.apply(at: Self.t1 + 180)
        #expect(try lake.metadata("streams/tx").totalRecords == total + 1)
        #expect(try lake.metadata("streams/tx").overlapFrom == Self.ms(Self.t1) - 3_600_000)
        // Lowered again: nothing lost, nothing doubled.
        lake.dir.write("feeds.d/s.yaml", Self.feed(lateness: 5)["s.yaml"]!)
        try lake.insert(ExportEndToEndTests.row("new", at: Self.ms(Self.t1) + 200_000))
        try await lake.apply(at: Self.t1 + 240)
        #expect(try lake.metadata("streams/tx").totalRecords == total + 2)
        #expect(try lake.metadata("streams/tx").totalRecords == (try lake.sourceRows("TRANSACTION_STREAM")) - 1)
        await lake.stop()
    }

    @Test func theWatermarkNeverMovesBackwards() async throws {
        let lake = try await LakeFixture(rows: 100, feeds: Self.feed())
        try await lake.apply(at: Self.t1)
        // A late event, then an apply whose clock is ten minutes behind the last one's.
        try lake.insert(ExportEndToEndTests.row("late", at: Self.ms(Self.t1) - 30 * 60_000))
        let (_, results) = try await lake.apply(at: Self.t1 - 600)
        #expect(lake.outcome(results, "tx")?.rows == 1)
        #expect(try lake.metadata("streams/tx").watermark == Self.ms(Self.t1))
        try await lake.apply(at: Self.t1 + 60)
        #expect(try lake.metadata("streams/tx").totalRecords == (try lake.sourceRows("TRANSACTION_STREAM")))
        await lake.stop()
    }

    @Test func eventsAlreadyPastRetentionAreNotWritten() async throws {
        let lake = try await LakeFixture(rows: 300, feeds: Self.feed(retention: 1))
        let (_, results) = try await lake.apply(at: Self.t1)
        let meta = try lake.metadata("streams/tx")
        // Today is 2025-01-16: with one day of retention, only 2025-01-15 is kept.
        #expect(meta.partitions == ["year=2025/month=01/day=15"])
        let outcome = try #require(lake.outcome(results, "tx"))
        let sourceRows = try lake.sourceRows("TRANSACTION_STREAM")
        #expect(outcome.pastRetention > 0 && outcome.rows + outcome.pastRetention == sourceRows)
        let next = try PlanSession.load(configPath: lake.config).plan(at: Self.t1, includeExports: false)
        #expect(!next.actions.contains { $0.kind == .expire })
        await lake.stop()
    }

    @Test func dataWithoutMetadataIsRefusedNotExportedAgain() async throws {
        let lake = try await LakeFixture(rows: 50, feeds: Self.feed())
        try await lake.apply(at: Self.t1)
        unlink(lake.dir.url("data_lake/streams/tx/_metadata.json"))
        let session = try PlanSession.load(configPath: lake.config)
        #expect(throws: DiagnosticsError.self) { try session.plan(at: Self.t1 + 60, includeExports: true) }
        do throws(DiagnosticsError) { _ = try session.plan(at: Self.t1 + 60, includeExports: true) } catch {
            #expect(error.diagnostics.first?.message.contains("holds data files but no _metadata.json") == true)
        }
        await lake.stop()
    }

    @Test func aTableContentHashIncludesItsSchema() {
        let rows = ["[1,\"a\"]", "[2,\"b\"]"]
        func hash(_ columns: [KsqlField], key: SipHash? = nil) -> TableSnapshotter.ContentHash {
            var h = TableSnapshotter.ContentHash(key: key)
            h.add(header: KsqlQueryHeader(queryId: nil, columns: columns))
            for r in rows { Array(r.utf8).withUnsafeBytes { h.add($0) } }
            return h
        }
        let a = hash([KsqlField(name: "ID", type: .integer), KsqlField(name: "NAME", type: .string)])
        let renamed = hash([KsqlField(name: "ID", type: .integer), KsqlField(name: "LABEL", type: .string)])
        #expect(a.text != renamed.text)
        #expect(a.matches(a.text) && !renamed.matches(a.text))
        // A version recorded before the schema was hashed compares on its rows.
        #expect(renamed.matches(a.contentText))
        // Keyed: another key, another hash; the legacy text never matches a keyed one.
        let k1 = hash([KsqlField(name: "ID", type: .integer)], key: SipHash(k0: 1, k1: 2))
        let k2 = hash([KsqlField(name: "ID", type: .integer)], key: SipHash(k0: 3, k1: 4))
        #expect(k1.text != k2.text && k1.text.hasPrefix("sip;") && !k1.matches(k1.contentText))
    }
}

/// SipHash-2-4 against the reference vectors (key 00 01 … 0f, messages 00 01 … of length 0 to 63).
@Suite struct SipHashTests {
    static let key = SipHash(k0: 0x0706_0504_0302_0100, k1: 0x0f0e_0d0c_0b0a_0908)

    @Test func referenceVectors() {
        let expected: [Int: UInt64] = [0: 0x726f_db47_dd0e_0e31, 1: 0x74f8_39c5_93dc_67fd, 7: 0xab02_00f5_8b01_d137,
                                       8: 0x93f5_f579_9a93_2462, 15: 0xa129_ca61_49be_45e5, 63: 0x958a_324c_eb06_4572]
        for (length, hash) in expected {
            let message = (0..<length).map { UInt8($0) }
            #expect(message.withUnsafeBytes { Self.key.hash($0) } == hash, "length \(length)")
        }
        #expect(SipHash(hex: Self.key.hex) == Self.key)
    }
}

/// An additive schema change (a new column) does not export the overlap window again: rows read
/// again are recognised by the values of the columns they were exported with.
@Suite(.serialized) struct SchemaChangeTests {
    static let t1 = LakeFixture.date("2025-01-16T00:00:00Z")
    static let dataset = """
        {"sources": [{"name": "EVENTS", "type": "STREAM",
          "columns": [{"name": "ID", "type": "STRING", "key": true}, {"name": "AMOUNT", "type": "DOUBLE"}],
          "rows": [
            {"ROWTIME": 1736985000000, "ID": "a", "AMOUNT": 1.5},
            {"ROWTIME": 1736985300000, "ID": "b", "AMOUNT": 2.5},
            {"ROWTIME": 1736985300000, "ID": "b", "AMOUNT": 2.5}
          ]}]}
        """

    @Test func aNewColumnDoesNotExportTheOverlapWindowAgain() async throws {
        let lake = try await LakeFixture(dataset: Self.dataset, feeds: ["e.yaml": "feed_name: events\nfeed_type: stream\nksqldb_source: EVENTS\n"])
        try await lake.apply(at: Self.t1)
        #expect(try lake.metadata("streams/events").totalRecords == 3)
        // CREATE OR REPLACE STREAM … with a new column: the same rows, a null in it, and one new row.
        var schema = try #require(lake.emulator.store.schema(of: "EVENTS"))
        schema.columns.append(EmulatorColumn("CITY", .string))
        let old = try lake.emulator.store.rows(of: "EVENTS")
        lake.emulator.store.addStream(schema, rows: old.map { EmulatorRow(rowtime: $0.rowtime, values: $0.values + [.null]) }
            + [EmulatorRow(rowtime: 1_736_985_630_000, values: [.string("c"), .double(3.5), .string("Lyon")])])
        let (plan, results) = try await lake.apply(at: Self.t1 + 60)
        // A schema change is a change: a pull request's `plan --detailed-exitcode` must see it.
        #expect(plan.hasChanges && plan.summary.hasPrefix("Plan: 1 schema change."), "\(plan.summary)")
        #expect(lake.outcome(results, "events")?.rows == 1)
        #expect(lake.outcome(results, "events")?.duplicatesDropped == 3)
        let meta = try lake.metadata("streams/events")
        #expect(meta.totalRecords == 4 && meta.schema.map(\.name).last == "CITY")
        // And with the new schema the fingerprints match again on the next run.
        let (_, again) = try await lake.apply(at: Self.t1 + 120)
        #expect(lake.outcome(again, "events")?.rows == 0)
        await lake.stop()
    }
}

/// Plan compares this machine's clock with ksqlDB's (its `Date` header) and refuses exports and
/// expiries when they differ by more than half a stream's lateness.
@Suite(.serialized) struct ClockSkewTests {
    static func plan(offset: Int64?) async throws -> Result<Plan, DiagnosticsError> {
        let lake = try await LakeFixture(rows: 20, feeds: ExactlyOnceTests.feed(lateness: 60), serverClockOffsetMillis: offset)
        let session = try PlanSession.load(configPath: lake.config)
        let client = KsqlDBClient(configuration: try session.desired.config.ksqldb.clientConfiguration())
        defer { Task { try? await client.shutdown() } }
        let result: Result<Plan, DiagnosticsError>
        do { result = .success(try await session.refreshedPlan(at: Date(), client: client)) } catch let e as DiagnosticsError {
            result = .failure(e)
        }
        try await client.shutdown()
        await lake.stop()
        return result
    }

    @Test func aSkewOverHalfTheLatenessRefusesThePlan() async throws {
        if case let .failure(error) = try await Self.plan(offset: 5_000) { Issue.record("a 5 s skew refused: \(error.diagnostics)") }
        if case let .failure(error) = try await Self.plan(offset: nil) { Issue.record("no Date header refused: \(error.diagnostics)") }
        for offset: Int64 in [-3_600_000, 2_400_000] {
            guard case let .failure(error) = try await Self.plan(offset: offset) else {
                Issue.record("a skew of \(offset) ms was planned")
                continue
            }
            let way = offset < 0 ? "ahead of" : "behind"
            #expect(error.diagnostics.first?.message.contains("clock is") == true && error.diagnostics.first?.message.contains(way) == true,
                    "\(error.diagnostics)")
        }
    }
}
