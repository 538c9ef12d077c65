import Foundation
import Testing

/// The `ksqldb-emulator` executable as scripts use it: the ready line, a working server, a clean exit.
@Suite struct ExecutableTests {
    /// The binary sits next to the test bundle in SwiftPM's bin directory.
    static var binary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("ksqldb-emulator")
    }

    @Test func printsTheReadyLineServesAndStopsOnSIGTERM() throws {
        let binary = Self.binary
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build the product first: \(binary.path)")
        let process = Process()
        process.executableURL = binary
        process.arguments = ["--port", "0", "--demo", "--rows", "20", "--seed", "3", "--start-date", "2025-01-01",
                             "--user", "u", "--password-env", "EMULATOR_TEST_PASSWORD"]
        process.environment = ["EMULATOR_TEST_PASSWORD": "pw"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        var line: [UInt8] = []
        while line.last != 0x0A {
            let byte = output.fileHandleForReading.readData(ofLength: 1)
            guard let first = byte.first else { break }
            line.append(first)
        }
        let text = String(decoding: line, as: UTF8.self)
        #expect(text.hasPrefix("ksqldb-emulator listening on http://127.0.0.1:"))
        let port = try #require(Int(text.split(separator: ":").last!.trimmingCharacters(in: .whitespacesAndNewlines)))
        let denied = try RawHTTP.request(port: port, method: "GET", path: "/info")
        #expect(denied.status == 401)
        let rows = try RawHTTP.request(port: port, path: "/query-stream", body: #"{"sql":"SELECT * FROM transaction_stream;"}"#,
                                       headers: [("authorization", "Basic dTpwdw==")])
        #expect(rows.chunks.count == 21)
        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
    }
}
