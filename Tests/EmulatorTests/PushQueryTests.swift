import Foundation
import Testing
@testable import KsqlDBEmulator

@Suite struct PushQueryTests {
    static func request(_ sql: String, properties: String) -> String {
        let body = #"{"sql":"\#(sql)","properties":\#(properties)}"#
        return "POST /query-stream HTTP/1.1\r\nhost: x\r\nconnection: close\r\ncontent-length: \(body.utf8.count)\r\n\r\n\(body)"
    }

    @Test func pushQueryFollowsInsertsUntilClosed() async throws {
        try await EmulatorFixture.with(setup: FaultTests.tenRows) { port, emulator throws in
            let connection = try RawConnection(port: port, request: Self.request("SELECT * FROM ten EMIT CHANGES;",
                                                                                properties: #"{"auto.offset.reset":"earliest"}"#))
            #expect(try connection.read(until: "[9]\n"))
            try emulator.store.insert(into: "TEN", row: EmulatorRow(rowtime: 99, values: [.int(10)]))
            #expect(try connection.read(until: "[10]\n"))
            let header = try #require(connection.text.range(of: #"{"queryId":""#))
            let idStart = header.upperBound
            let idEnd = try #require(connection.text[idStart...].firstIndex(of: "\""))
            let queryId = String(connection.text[idStart..<idEnd])
            #expect(queryId.hasPrefix("transient_TEN_"))
            let closed = try RawHTTP.request(port: port, path: "/close-query", body: #"{"queryId":"\#(queryId)"}"#)
            #expect(closed.status == 200)
            #expect(closed.body == "")
            #expect(try connection.read(until: nil) == false)
            #expect(connection.text.hasSuffix("\r\n0\r\n\r\n"))
            let again = try RawHTTP.request(port: port, path: "/close-query", body: #"{"queryId":"\#(queryId)"}"#)
            #expect(again.status == 400)
        }
    }

    @Test func pushQueryStartsAtLatestByDefault() async throws {
        try await EmulatorFixture.with(setup: FaultTests.tenRows) { port, emulator throws in
            let connection = try RawConnection(port: port, request: Self.request("SELECT * FROM ten EMIT CHANGES LIMIT 1;", properties: "{}"))
            #expect(try connection.read(until: "columnTypes"))
            try emulator.store.insert(into: "TEN", row: EmulatorRow(rowtime: 99, values: [.int(42)]))
            #expect(try connection.read(until: nil) == false)
            let chunks = try RawHTTP.parse(connection.received).chunks
            #expect(chunks.dropFirst() == ["[42]\n"])
        }
    }
}
