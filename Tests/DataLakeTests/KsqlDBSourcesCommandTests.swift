import Foundation
import Testing
@testable import KsqlDBEmulator

/// `datalake sources` as a user runs it, against the emulator: the listing, --json, --scaffold, --write.
@Suite struct KsqlDBSourcesCommandTests {
    /// The binary sits next to the test bundle in SwiftPM's bin directory.
    static var binary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("datalake")
    }

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ arguments: [String]) async throws -> Run {
        try await offPool { try runBlocking(arguments) }
    }

    static func runBlocking(_ arguments: [String]) throws -> Run {
        let process = Process()
        process.executableURL = binary
        process.arguments = ["sources"] + arguments
        process.environment = [:]
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                   stderr: String(decoding: stderr, as: UTF8.self))
    }

    static func withEmulator(_ body: (String) async throws -> Void) async throws {
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build the product first: \(binary.path)")
        let emulator = KsqlDBEmulator(configuration: EmulatorConfiguration())
        try KsqlDBClientIntegrationTests.allTypes(emulator.store)
        let port = try await emulator.start(host: "127.0.0.1", port: 0)
        do {
            try await body("http://127.0.0.1:\(port)")
            try await emulator.stop()
        } catch {
            try? await emulator.stop()
            throw error
        }
    }

    @Test func listsScaffoldsAndWritesFeeds() async throws {
        try await Self.withEmulator { url in
            let feeds = FileManager.default.temporaryDirectory.appendingPathComponent("feeds-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: feeds, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: feeds); try? FileManager.default.removeItem(atPath: feeds + "-lake.yaml") }
            // lake.yaml names the feeds directory the listing reads and --write writes to.
            let config = feeds + "-lake.yaml"
            try "root: data_lake\nfeeds_dir: \(feeds)\nksqldb:\n  url: \(url)\n".write(toFile: config, atomically: true, encoding: .utf8)

            let listing = try await Self.run(["--config", config])
            #expect(listing.status == 0)
            #expect(listing.stdout == """
                ALL_TYPES  stream, topic all_types, key KAFKA, value JSON
                  not exported: `datalake sources --scaffold ALL_TYPES` drafts a feed
                    K    STRING  key
                    B    BOOLEAN
                    I    INTEGER
                    L    BIGINT
                    D    DOUBLE
                    DEC  DECIMAL(4, 2)
                    S    STRING
                    BY   BYTES
                    DT   DATE
                    TM   TIME
                    TS   TIMESTAMP
                    A    ARRAY<STRING>
                    M    MAP<STRING, INTEGER>
                    ST   STRUCT<`F1` STRING, `DEC` DECIMAL(4, 2), `INNER` STRUCT<`XS` ARRAY<BIGINT>>>

                COUNTS  table, topic counts, key KAFKA, value JSON
                  not exported: `datalake sources --scaffold COUNTS` drafts a feed
                    USERID  STRING  key
                    COUNT   BIGINT

                """)

            let printed = try await Self.run(["--url", url, "--scaffold", "counts"])
            #expect(printed.status == 0)
            #expect(printed.stdout.contains("feed_name: counts\nfeed_type: table\nksqldb_source: COUNTS\n"))

            let written = try await Self.run(["--url", url, "--scaffold", "counts", "--write", "--config", config])
            #expect(written.stdout == "wrote \(feeds)/counts.yaml; run `datalake plan` to see the effect\n")
            #expect(try String(contentsOfFile: feeds + "/counts.yaml", encoding: .utf8) == printed.stdout)
            let again = try await Self.run(["--url", url, "--scaffold", "counts", "--write", "--config", config])
            #expect(again.status == 1)
            #expect(again.stderr == "error: \(feeds)/counts.yaml: already exists; not overwriting it\n")

            let json = try await Self.run(["--url", url, "--format", "json", "--config", config])
            let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            #expect(document["format_version"] as? Int == 1)
            let sources = try #require(document["sources"] as? [[String: Any]])
            #expect(sources.map { $0["name"] as? String } == ["ALL_TYPES", "COUNTS"])
            #expect(sources.map { $0["feed"] as? String } == [nil, "counts"])
            let columns = try #require(sources[1]["columns"] as? [[String: String]])
            #expect(columns == [["name": "USERID", "type": "STRING", "role": "key"], ["name": "COUNT", "type": "BIGINT", "role": "value"]])

            let exported = try await Self.run(["--url", url, "--config", config])
            #expect(exported.stdout.contains("COUNTS  table, topic counts, key KAFKA, value JSON\n  exported by feed counts\n"))
        }
    }

    @Test func errorsAreOneLineOnStderr() async throws {
        try await Self.withEmulator { url in
            let unknown = try await Self.run(["--url", url, "--scaffold", "nope"])
            #expect(unknown.status == 1)
            #expect(unknown.stdout.isEmpty)
            #expect(unknown.stderr == "error: ksqlDB has no stream or table named NOPE\n")
        }
        let unreachable = try await Self.run(["--url", "http://127.0.0.1:1"])
        #expect(unreachable.status == 1)
        #expect(unreachable.stderr == "error: cannot reach ksqlDB at 127.0.0.1:1: connection refused\n")
        let usage = try await Self.run(["--write"])
        #expect(usage.status == 64)
    }
}
