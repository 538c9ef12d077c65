import Foundation
import Testing
@testable import KsqlDBEmulator

/// Golden tests of the exact bytes, framings and chunk boundaries (notes §2, §4, §5).
@Suite struct WireFormatTests {
    static let header = #"{"queryId":"QID","columnNames":["K","B","I","L","D","DEC","S","BY","DT","TM","TS","A","M","ST"],"columnTypes":["STRING","BOOLEAN","INTEGER","BIGINT","DOUBLE","DECIMAL(4, 2)","STRING","BYTES","DATE","TIME","TIMESTAMP","ARRAY<STRING>","MAP<STRING, INTEGER>","STRUCT<`F1` STRING, `DEC` DECIMAL(4, 2), `TS` TIMESTAMP>"]}"#

    /// Replaces the (random) query id so bodies can be compared exactly.
    static func normalized(_ text: String) -> String {
        var result = text
        for prefix in ["\"queryId\":\"transient_", "\"queryId\":\"query_"] {
            while let range = result.range(of: prefix) {
                let end = result[range.upperBound...].firstIndex(of: "\"")!
                result.replaceSubrange(range.lowerBound..<end, with: "\"queryId\":\"QID")
            }
        }
        return result
    }

    @Test func infoAndHealthcheck() async throws {
        try await EmulatorFixture.with(EmulatorConfiguration(serverVersion: "0.29.0")) { port, _ in
            let info = try RawHTTP.request(port: port, method: "GET", path: "/info")
            #expect(info.status == 200)
            #expect(info.header("content-type") == "application/json")
            #expect(info.body == #"{"KsqlServerInfo":{"version":"0.29.0","kafkaClusterId":"emulatorKafkaCluster","ksqlServiceId":"default_","serverStatus":"RUNNING"}}"#)
            let health = try RawHTTP.request(port: port, method: "GET", path: "/healthcheck")
            #expect(health.body == #"{"isHealthy":true,"details":{"metastore":{"isHealthy":true},"kafka":{"isHealthy":true},"commandRunner":{"isHealthy":true}},"serverState":"READY"}"#)
        }
        try await EmulatorFixture.with(EmulatorConfiguration(serverVersion: "0.23.1")) { port, _ in
            let health = try RawHTTP.request(port: port, method: "GET", path: "/healthcheck")
            #expect(health.body == #"{"isHealthy":true,"details":{"metastore":{"isHealthy":true},"kafka":{"isHealthy":true}}}"#)
        }
    }

    @Test func delimitedStreamPullIsOneRowPerChunk() async throws {
        try await EmulatorFixture.with(setup: EmulatorFixture.allTypesStore) { port, _ in
            let response = try EmulatorFixture.queryStream(port, "SELECT * FROM all_types;")
            #expect(response.status == 200)
            #expect(response.header("content-type") == "application/vnd.ksqlapi.delimited.v1")
            #expect(response.header("transfer-encoding") == "chunked")
            #expect(response.terminated)
            #expect(response.chunks.map(Self.normalized) == [Self.header + "\n", EmulatorFixture.allTypesRow1 + "\n", EmulatorFixture.allTypesRow2 + "\n"])
            #expect(response.chunks[0].hasPrefix(#"{"queryId":"transient_ALL_TYPES_"#))
        }
    }

    @Test func delimitedTablePull() async throws {
        try await EmulatorFixture.with(setup: EmulatorFixture.allTypesStore) { port, _ in
            let response = try EmulatorFixture.queryStream(port, "SELECT * FROM counts;", accept: "*/*")
            #expect(response.chunks[0].hasPrefix(#"{"queryId":"query_"#))
            #expect(response.chunks.map(Self.normalized) == [
                #"{"queryId":"QID","columnNames":["USERID","COUNT"],"columnTypes":["STRING","BIGINT"]}"# + "\n",
                "[\"USER_0\",1]\n", "[\"USER_1\",2]\n",
            ])
        }
    }

    @Test func jsonArrayFormat() async throws {
        try await EmulatorFixture.with(setup: EmulatorFixture.allTypesStore) { port, _ in
            let response = try EmulatorFixture.queryStream(port, "SELECT K, I FROM all_types;", accept: "application/json")
            #expect(response.header("content-type") == "application/json")
            #expect(response.chunks.map(Self.normalized) == [
                #"[{"queryId":"QID","columnNames":["K","I"],"columnTypes":["STRING","INTEGER"]}"#, #",["k1",7]"#, #",["k2",-1]"#, "]",
            ])
        }
    }

    @Test func streamedRowFormatOnQueryStream() async throws {
        try await EmulatorFixture.with(setup: EmulatorFixture.allTypesStore) { port, _ in
            let response = try EmulatorFixture.queryStream(port, "SELECT K, I FROM all_types;", accept: "application/vnd.ksql.v1+json")
            #expect(response.header("content-type") == "application/vnd.ksql.v1+json")
            #expect(Self.normalized(response.body) == """
                [{"header":{"queryId":"QID","schema":"`K` STRING, `I` INTEGER"}},
                {"row":{"columns":["k1",7]}},
                {"row":{"columns":["k2",-1]}},
                {"finalMessage":"Query Completed"}]
                """)
        }
    }

    @Test func migratedQueryEndpoint() async throws {
        try await EmulatorFixture.with(setup: EmulatorFixture.allTypesStore) { port, _ in
            let table = try RawHTTP.request(port: port, path: "/query", body: #"{"ksql":"SELECT * FROM counts;"}"#,
                                            headers: [("accept", "application/vnd.ksql.v1+json")])
            #expect(table.header("content-type") == "application/vnd.ksql.v1+json")
            #expect(Self.normalized(table.body) == """
                [{"header":{"queryId":"QID","schema":"`USERID` STRING KEY, `COUNT` BIGINT"}},
                {"row":{"columns":["USER_0",1]}},
                {"row":{"columns":["USER_1",2]}}]
                """)
            let limited = try RawHTTP.request(port: port, path: "/query", body: #"{"ksql":"SELECT K FROM all_types LIMIT 1;"}"#,
                                              headers: [("accept", "application/vnd.ksql.v1+json")])
            #expect(Self.normalized(limited.body) == """
                [{"header":{"queryId":"QID","schema":"`K` STRING"}},
                {"row":{"columns":["k1"]}},
                {"finalMessage":"Limit Reached"}]
                """)
            let delimited = try RawHTTP.request(port: port, path: "/query", body: #"{"ksql":"SELECT K FROM all_types;"}"#,
                                                headers: [("accept", "*/*")])
            #expect(delimited.header("content-type") == "application/vnd.ksqlapi.delimited.v1")
            #expect(Self.normalized(delimited.body) == #"{"queryId":"QID","columnNames":["K"],"columnTypes":["STRING"]}"# + "\n[\"k1\"]\n[\"k2\"]\n")
        }
    }

    @Test func legacyServerFramingAndHTTP2Refusal() async throws {
        try await EmulatorFixture.with(EmulatorConfiguration(serverVersion: "0.23.1"), setup: EmulatorFixture.allTypesStore) { port, _ in
            let refused = try EmulatorFixture.queryStream(port, "SELECT * FROM all_types;")
            #expect(refused.status == 400)
            #expect(refused.header("content-type") == nil)
            #expect(refused.body == #"{"@type":"generic_error","error_code":40004,"message":"This endpoint is only available when using HTTP2"}"#)

            let stream = try RawHTTP.request(port: port, path: "/query", body: #"{"ksql":"SELECT K FROM all_types;"}"#)
            #expect(stream.header("content-type") == "application/json")
            #expect(stream.terminated)
            // Blank keep-alive line, trailing comma and no finalMessage before 0.25.1 (issue #8554).
            #expect(stream.chunks.map(Self.normalized) == [
                #"[{"header":{"queryId":"QID","schema":"`K` STRING"}},"# + "\n", "\n",
                #"{"row":{"columns":["k1"]}},"# + "\n", #"{"row":{"columns":["k2"]}},"# + "\n",
            ])
            let table = try RawHTTP.request(port: port, path: "/query", body: #"{"ksql":"SELECT * FROM counts;"}"#)
            #expect(Self.normalized(table.body) == #"[{"header":{"queryId":"QID","schema":"`USERID` STRING KEY, `COUNT` BIGINT"}}"# + "\n"
                    + ",\n" + #"{"row":{"columns":["USER_0",1]}}"# + ",\n" + #"{"row":{"columns":["USER_1",2]}}"# + "]\n")
        }
    }

    @Test func legacyErrorLineHasNoClosingBracket() async throws {
        let configuration = EmulatorConfiguration(serverVersion: "0.23.1", faults: EmulatorFaults(midStreamErrorAfterRows: 1))
        try await EmulatorFixture.with(configuration, setup: EmulatorFixture.allTypesStore) { port, _ in
            let response = try RawHTTP.request(port: port, path: "/query", body: #"{"ksql":"SELECT K FROM all_types;"}"#)
            #expect(response.terminated)
            #expect(response.chunks.last == "\n" + #"{"errorMessage":{"@type":"generic_error","error_code":50000,"message":"\#(QueryFraming.midStreamError)"}},"# + "\n")
        }
    }

    @Test func keepAliveServesSequentialRequests() async throws {
        try await EmulatorFixture.with(setup: EmulatorFixture.allTypesStore) { port, _ in
            let body = #"{"sql":"SELECT K FROM all_types;"}"#
            let one = "POST /query-stream HTTP/1.1\r\nhost: x\r\ncontent-length: \(body.utf8.count)\r\n\r\n\(body)"
            let last = "GET /info HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n"
            let bytes = try RawHTTP.exchange(port: port, request: Array((one + one + last).utf8))
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(text.components(separatedBy: "HTTP/1.1 200 OK").count == 4)
            #expect(text.components(separatedBy: "[\"k2\"]\n").count == 3)
            #expect(text.hasSuffix(#""serverStatus":"RUNNING"}}"#))
        }
    }
}
