import Foundation
import Testing
@testable import DataLake
import DataLakeTestSupport
@testable import KsqlDBClient
@testable import LakeStorage

/// `timestamp_column` places rows by a column of the source: a TIMESTAMP, or a BIGINT whose unit the
/// feed declares; a null event time fails the export unless `timestamp_fallback: rowtime`.
@Suite(.serialized) struct TimestampColumnTests {
    static let now = LakeFixture.date("2025-01-16T00:00:00Z")
    static let dataset = """
        {"sources": [{"name": "EVENTS", "type": "STREAM",
          "columns": [{"name": "ID", "type": "STRING", "key": true}, {"name": "AT", "type": "TIMESTAMP"},
                      {"name": "SECS", "type": "BIGINT"}, {"name": "NAME", "type": "STRING"}],
          "rows": [
            {"ROWTIME": 1736899200000, "ID": "a", "AT": "2025-01-10T08:00:00.000", "SECS": 1736467200, "NAME": "x"},
            {"ROWTIME": 1736899201000, "ID": "b", "AT": null, "SECS": 1736553600, "NAME": "y"}
          ]}]}
        """

    static func feed(_ extra: String) -> [String: String] {
        ["e.yaml": "feed_name: events\nfeed_type: stream\nksqldb_source: EVENTS\n" + extra]
    }

    @Test func aColumnThatIsNoTimeIsAPlanError() async throws {
        for (extra, message) in [
            ("timestamp_column: NAME\n", "timestamp_column NAME is STRING; it must be a TIMESTAMP, or a BIGINT with timestamp_unit"),
            ("timestamp_column: SECS\n", "timestamp_column SECS is a BIGINT: say its unit with `timestamp_unit: ms` or `s`"),
            ("timestamp_column: NOPE\n", "the source has no column NOPE (timestamp_column)"),
        ] {
            let lake = try await LakeFixture(dataset: Self.dataset, feeds: Self.feed(extra))
            await #expect(throws: DiagnosticsError.self) { try await lake.apply(at: Self.now) }
            do { try await lake.apply(at: Self.now) } catch let error as DiagnosticsError {
                #expect(error.diagnostics.first?.message.contains(message) == true, "\(error.diagnostics)")
                #expect(error.diagnostics.first?.file?.hasSuffix("feeds.d/e.yaml") == true)
            }
            #expect(!lake.dir.exists("data_lake/streams/events/_metadata.json"))
            await lake.stop()
        }
    }

    @Test func bigintSecondsPlaceRowsByTheirDay() async throws {
        let lake = try await LakeFixture(dataset: Self.dataset, feeds: Self.feed("timestamp_column: SECS\ntimestamp_unit: s\n"))
        try await lake.apply(at: Self.now)
        #expect(try lake.metadata("streams/events").partitions == ["year=2025/month=01/day=10", "year=2025/month=01/day=11"])
        await lake.stop()
    }

    @Test func aNullEventTimeFailsUnlessTheFeedFallsBackToRowtime() async throws {
        let lake = try await LakeFixture(dataset: Self.dataset, feeds: Self.feed("timestamp_column: AT\n"))
        do {
            try await lake.apply(at: Self.now)
            Issue.record("a null event time was exported")
        } catch {
            #expect("\(error)".contains("row 2 of the query has no event time in AT"), "\(error)")
            #expect(!"\(error)".contains("\"b\""), "no row values in the error")
        }
        #expect(!lake.dir.exists("data_lake/streams/events/_metadata.json"))
        lake.dir.write("feeds.d/e.yaml", Self.feed("timestamp_column: AT\ntimestamp_fallback: rowtime\n")["e.yaml"]!)
        try await lake.apply(at: Self.now)
        #expect(try lake.metadata("streams/events").partitions == ["year=2025/month=01/day=10", "year=2025/month=01/day=15"])
        await lake.stop()
    }

    @Test func dayWritersOpenAtOnceAreBounded() async throws {
        // 40 days, visited twice in turn: more days than writers may stay open.
        var rows: [String] = []
        for i in 0..<80 {
            let day = 1_735_689_600 + (i % 40) * 86_400
            rows.append(#"{"ROWTIME": \#(1_736_899_200_000 + i), "ID": "r\#(i)", "AT": null, "SECS": \#(day), "NAME": "n"}"#)
        }
        let dataset = Self.dataset.replacingOccurrences(of: #"{"ROWTIME": 1736899200000, "ID": "a", "AT": "2025-01-10T08:00:00.000", "SECS": 1736467200, "NAME": "x"},"#, with: rows.joined(separator: ",\n") + ",")
        let lake = try await LakeFixture(dataset: dataset, feeds: Self.feed("timestamp_column: SECS\ntimestamp_unit: s\nretention_days: 36500\n"))
        try await lake.apply(at: Self.now)
        let meta = try lake.metadata("streams/events")
        #expect(meta.totalRecords == 81)
        #expect(Set(meta.partitions).count == 40)
        let first = meta.files.filter { $0.path.hasPrefix("year=2025/month=01/day=01/") }
        #expect(first.count == 2 && first.map(\.rows).reduce(0, +) == 2)
        await lake.stop()
    }
}

/// A windowed table's query returns WINDOWSTART and WINDOWEND, which DESCRIBE does not list: they
/// are part of its expected schema, so its second plan sees no change.
@Suite(.serialized) struct WindowedTableTests {
    static let dataset = """
        {"sources": [{"name": "CLICKS_PER_HOUR", "type": "TABLE", "windowType": "TUMBLING",
          "columns": [{"name": "USER_ID", "type": "STRING", "key": true}, {"name": "CLICKS", "type": "BIGINT"}],
          "rows": [{"USER_ID": "u1", "WINDOWSTART": 1736985600000, "WINDOWEND": 1736989200000, "CLICKS": 3},
                   {"USER_ID": "u1", "WINDOWSTART": 1736989200000, "WINDOWEND": 1736992800000, "CLICKS": 5}]}]}
        """

    @Test func windowBoundsAreExpectedColumnsOfAWindowedTable() async throws {
        let lake = try await LakeFixture(dataset: Self.dataset, feeds: ["c.yaml": "feed_name: clicks\nfeed_type: table\nksqldb_source: CLICKS_PER_HOUR\n"])
        let now = LakeFixture.date("2025-01-16T02:00:00Z")
        try await lake.apply(at: now)
        let meta = try lake.metadata("tables/clicks")
        #expect(meta.schema.map(\.name) == ["USER_ID", "WINDOWSTART", "WINDOWEND", "CLICKS"])
        #expect(meta.totalRecords == 2)
        let (plan, _) = try await lake.apply(at: now + 60)
        #expect(plan.actions.allSatisfy { $0.changes.isEmpty })
        await lake.stop()
    }
}
