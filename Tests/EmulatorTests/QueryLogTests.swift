import Testing
@testable import KsqlDBEmulator

/// `/emulator/queries`: the queries the emulator ran, for tests that count a client's reads.
@Suite struct QueryLogTests {
    @Test func listsTheQueriesRunOnBothEndpointsAndClears() async throws {
        try await EmulatorFixture.with(setup: FaultTests.tenRows) { port, emulator in
            #expect(try RawHTTP.request(port: port, method: "GET", path: "/emulator/queries").body == #"{"total":0,"queries":[]}"#)
            _ = try EmulatorFixture.queryStream(port, "SELECT * FROM ten;")
            _ = try RawHTTP.request(port: port, path: "/query", body: #"{"ksql":"SELECT * FROM ten LIMIT 2;"}"#)
            // Not run: a statement that does not parse, and a query refused by a fault.
            _ = try EmulatorFixture.queryStream(port, "SELEKT 1;")
            emulator.setFaults(EmulatorFaults(failStatus: 500))
            #expect(try EmulatorFixture.queryStream(port, "SELECT * FROM ten;").status == 500)
            emulator.setFaults(EmulatorFaults())

            let listed = try RawHTTP.request(port: port, method: "GET", path: "/emulator/queries")
            #expect(listed.status == 200)
            #expect(listed.body == #"{"total":2,"queries":[{"sql":"SELECT * FROM ten;","endpoint":"/query-stream"},"#
                + #"{"sql":"SELECT * FROM ten LIMIT 2;","endpoint":"/query"}]}"#)
            #expect(emulator.queryLog.entries.map(\.endpoint) == ["/query-stream", "/query"])

            #expect(try RawHTTP.request(port: port, method: "DELETE", path: "/emulator/queries").body == #"{"total":0,"queries":[]}"#)
            #expect(emulator.queryLog.total == 0)
        }
    }

    @Test func keepsTheLatestEntriesAndCountsThemAll() {
        let log = EmulatorQueryLog(capacity: 2)
        for n in 1...3 { log.record(sql: "SELECT \(n);", endpoint: "/query-stream") }
        #expect(log.entries.map(\.sql) == ["SELECT 2;", "SELECT 3;"])
        #expect(log.total == 3)
    }
}
