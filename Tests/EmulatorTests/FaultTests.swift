import Testing
@testable import KsqlDBEmulator

/// Each fault, as a client sees it on the wire.
@Suite struct FaultTests {
    static func tenRows(_ store: EmulatorStore) {
        store.addStream(EmulatorSourceSchema(name: "TEN", kind: .stream, columns: [EmulatorColumn("N", .integer)]),
                        rows: (0..<10).map { EmulatorRow(rowtime: Int64($0), values: [.int(Int64($0))]) })
    }

    @Test func dropConnectionAfterRows() async throws {
        try await EmulatorFixture.with(EmulatorConfiguration(faults: EmulatorFaults(dropConnectionAfterRows: 3)), setup: Self.tenRows) { port, _ in
            let response = try EmulatorFixture.queryStream(port, "SELECT * FROM ten;")
            #expect(response.status == 200)
            #expect(response.chunks.dropFirst() == ["[0]\n", "[1]\n", "[2]\n"])
            #expect(!response.terminated)
            let short = try EmulatorFixture.queryStream(port, "SELECT * FROM ten LIMIT 2;")
            #expect(short.chunks.count == 3)
            #expect(short.terminated)
            let fewer = try EmulatorFixture.queryStream(port, "SELECT * FROM ten WHERE N >= 8;")
            #expect(fewer.chunks.dropFirst() == ["[8]\n", "[9]\n"])
            #expect(!fewer.terminated)
        }
    }

    @Test func failStatusBeforeStreaming() async throws {
        try await EmulatorFixture.with(EmulatorConfiguration(faults: EmulatorFaults(failStatus: 500)), setup: Self.tenRows) { port, emulator in
            let failed = try EmulatorFixture.queryStream(port, "SELECT * FROM ten;")
            #expect(failed.status == 500)
            #expect(failed.body == #"{"@type":"generic_error","error_code":50000,"message":"The server encountered an internal error when processing the query. Please consult the server logs for more information."}"#)
            emulator.setFaults(EmulatorFaults(failStatus: 429))
            let limited = try RawHTTP.request(port: port, path: "/query", body: #"{"ksql":"SELECT * FROM ten;"}"#)
            #expect(limited.status == 429)
            #expect(limited.body.hasPrefix(#"{"@type":"generic_error","error_code":42900,"message":"Host is at rate limit for pull queries."#))
            emulator.setFaults(EmulatorFaults())
            #expect(try EmulatorFixture.queryStream(port, "SELECT * FROM ten;").chunks.count == 11)
        }
    }

    @Test func malformedRow() async throws {
        try await EmulatorFixture.with(EmulatorConfiguration(faults: EmulatorFaults(malformedRowAt: 1)), setup: Self.tenRows) { port, _ in
            let response = try EmulatorFixture.queryStream(port, "SELECT * FROM ten LIMIT 3;")
            #expect(response.chunks.dropFirst() == ["[0]\n", "[\"malformed\",1.2.3,{\n", "[2]\n"])
            #expect(response.terminated)
        }
    }

    @Test func midStreamError() async throws {
        try await EmulatorFixture.with(EmulatorConfiguration(faults: EmulatorFaults(midStreamErrorAfterRows: 2)), setup: Self.tenRows) { port, _ in
            let delimited = try EmulatorFixture.queryStream(port, "SELECT * FROM ten;")
            #expect(delimited.status == 200)
            #expect(delimited.terminated)
            #expect(delimited.chunks.dropFirst() == ["[0]\n", "[1]\n",
                #"{"@type":"generic_error","error_code":50000,"message":"\#(QueryFraming.midStreamError)"}"# + "\n"])
            let json = try EmulatorFixture.queryStream(port, "SELECT * FROM ten;", accept: "application/json")
            #expect(json.chunks.last == #",{"@type":"generic_error","error_code":50000,"message":"\#(QueryFraming.midStreamError)"}]"#)
        }
    }

    @Test func rowDelayStillDeliversEveryRow() async throws {
        try await EmulatorFixture.with(EmulatorConfiguration(faults: EmulatorFaults(rowDelay: .milliseconds(2))), setup: Self.tenRows) { port, _ in
            let response = try EmulatorFixture.queryStream(port, "SELECT * FROM ten;")
            #expect(response.chunks.count == 11)
            #expect(response.terminated)
        }
    }

    @Test func faultsEndpoint() async throws {
        try await EmulatorFixture.with(setup: Self.tenRows) { port, _ in
            let set = try RawHTTP.request(port: port, path: "/emulator/faults", body: #"{"dropConnectionAfterRows":1,"rowDelay":5}"#)
            #expect(set.status == 200)
            #expect(set.body == #"{"dropConnectionAfterRows":1,"rowDelay":5}"#)
            let dropped = try EmulatorFixture.queryStream(port, "SELECT * FROM ten;")
            #expect(dropped.chunks.count == 2)
            #expect(!dropped.terminated)
            let bad = try RawHTTP.request(port: port, path: "/emulator/faults", body: #"{"failStatus":404}"#)
            #expect(bad.status == 400)
            _ = try RawHTTP.request(port: port, path: "/emulator/faults", body: "{}")
            #expect(try RawHTTP.request(port: port, method: "GET", path: "/emulator/faults").body == "{}")
            #expect(try EmulatorFixture.queryStream(port, "SELECT * FROM ten;").terminated)
        }
    }
}
