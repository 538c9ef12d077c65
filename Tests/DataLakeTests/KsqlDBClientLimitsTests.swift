import Foundation
import Synchronization
import Testing
@testable import DataLake
import DataLakeTestSupport
@testable import KsqlDBClient
@testable import KsqlParquet
@testable import LakeStorage
@testable import KsqlDBEmulator
#if canImport(Glibc)
import Glibc
#endif

/// The client's limits against a hostile or broken server, on both response paths: a row line that
/// never ends, types nested without end, a query that trickles rows forever, and a server that
/// refuses both query endpoints; plus the lake.yaml keys that set the limits.
@Suite struct KsqlDBClientLimitsTests {
    // MARK: fixture

    /// The bound on "soon" for a limit that fires in under a second: loose, since the CPU-bound
    /// tests running alongside can hold a 2-core machine's task threads for half a minute.
    static let slack = Duration.seconds(120)
    /// A read timeout that cannot be what ends a query within `slack`.
    static let farReadTimeout = Duration.seconds(600)

    static func client(port: Int, overSocket: Bool, readTimeout: Duration = .seconds(30),
                       configure: (inout KsqlDBClientConfiguration) -> Void = { _ in }) -> KsqlDBClient {
        var configuration = KsqlDBClientConfiguration(
            url: URL(string: "http://127.0.0.1:\(port)")!, connectTimeout: .seconds(5), readTimeout: readTimeout)
        configuration.streamsOverSocket = overSocket
        configure(&configuration)
        return KsqlDBClient(configuration: configuration)
    }

    /// An emulator on a free port and a client configured by `configure`, for the body's duration.
    static func withEmulator(
        _ emulatorConfiguration: EmulatorConfiguration,
        overSocket: Bool,
        setup: (EmulatorStore) throws -> Void,
        configure: (inout KsqlDBClientConfiguration) -> Void,
        _ body: (KsqlDBClient, KsqlDBEmulator) async throws -> Void
    ) async throws {
        let emulator = KsqlDBEmulator(configuration: emulatorConfiguration)
        try setup(emulator.store)
        let port = try await emulator.start(host: "127.0.0.1", port: 0)
        let client = Self.client(port: port, overSocket: overSocket, configure: configure)
        do {
            try await body(client, emulator)
            try await client.shutdown()
            try await emulator.stop()
        } catch {
            try? await client.shutdown()
            try? await emulator.stop()
            throw error
        }
    }

    static let headerLine = Array(#"{"queryId":"q1","columnNames":["S"],"columnTypes":["STRING"]}"#.utf8) + [0x0A]

    /// The bytes of one HTTP/1.1 chunk holding `data`.
    static func chunk(_ data: [UInt8]) -> [UInt8] {
        Array("\(String(data.count, radix: 16))\r\n".utf8) + data + Array("\r\n".utf8)
    }

    static let streamHead = Array(("HTTP/1.1 200 OK\r\ncontent-type: application/vnd.ksqlapi.delimited.v1\r\n"
        + "transfer-encoding: chunked\r\nconnection: close\r\n\r\n").utf8)

    // MARK: 1. a row line that never ends

    @Test(arguments: [true, false]) func aRowLineThatNeverEndsFailsAtTheLimitNotWhenMemoryRunsOut(overSocket: Bool) async throws {
        let limit = KsqlDBClientConfiguration.defaultMaxRowBytes
        // Gives up (cutting the body short) at 5× the limit, so that a client without one fails too.
        let giveUpAt = 5 * limit
        let server = try RawHTTPServer { connection in
            guard connection.send(Self.streamHead), connection.send(Self.chunk(Self.headerLine + Array("[\"".utf8)))
            else { return }
            let filler = Self.chunk([UInt8](repeating: UInt8(ascii: "x"), count: 64 << 10))
            while connection.server.bytesSent < giveUpAt {
                guard connection.send(filler) else { return }
            }
        }
        defer { server.stop() }
        let client = Self.client(port: server.port, overSocket: overSocket)
        let started = ContinuousClock.now
        let (error, rows) = await KsqlDBClientIntegrationTests.failure(client, "SELECT * FROM ENDLESS;")
        let sentBeforeTheError = server.bytesSent
        let elapsed = ContinuousClock.now - started
        try await client.shutdown()

        #expect(error == KsqlDBError(.malformed,
            "ksqlDB sent a row line longer than the limit of 16777216 bytes (ksqldb.max_row_bytes) at line 2 of the "
            + "query response after 0 rows; raise ksqldb.max_row_bytes in lake.yaml if rows this large are expected"))
        #expect(rows == 0)
        // What the server got into the connection before the client gave up: the limit, plus what
        // the socket buffers and the client's read-ahead hold. Memory followed the limit, not the line.
        #expect(sentBeforeTheError > limit)
        #expect(sentBeforeTheError < 4 * limit, "\(sentBeforeTheError) bytes sent before the error")
        #expect(elapsed < Self.slack)
    }

    @Test(arguments: [true, false]) func aConfiguredRowLimitHoldsForCompleteLinesAndSpares(overSocket: Bool) async throws {
        // Rows of 3000 bytes pass a 4 KiB limit; a row of 5000 bytes, complete in one chunk, does not.
        let row = { @Sendable (n: Int) in Array("[\"\(String(repeating: "r", count: n - 4))\"]\n".utf8) }
        let server = try RawHTTPServer { connection in
            _ = connection.send(Self.streamHead)
                && connection.send(Self.chunk(Self.headerLine + row(3_000) + row(3_000)))
                && connection.send(Self.chunk(row(5_000) + row(10)))
                && connection.send(Self.chunk([]))
        }
        defer { server.stop() }
        let client = Self.client(port: server.port, overSocket: overSocket) { $0.maxRowBytes = 4_096 }
        let (error, rows) = await KsqlDBClientIntegrationTests.failure(client, "SELECT * FROM WIDE;")
        try await client.shutdown()
        #expect(error?.kind == .malformed)
        #expect(error?.message.hasPrefix("ksqlDB sent a row line longer than the limit of 4096 bytes (ksqldb.max_row_bytes) "
            + "at line 4 of the query response after 2 rows; ") == true, "\(String(describing: error))")
        #expect(rows == 2)
    }

    /// The framer alone, fed as a server would, with a 1 KiB limit: every way a line can go over it.
    @Test(arguments: [KsqlQueryFramer.Format.delimited, .legacy]) func theFramerEnforcesTheLimitWhateverTheChunking(
        format: KsqlQueryFramer.Format
    ) throws {
        let limit = 1_024
        let header = format == .delimited
            ? #"{"queryId":"q1","columnNames":["S"],"columnTypes":["STRING"]}"# + "\n"
            : #"[{"header":{"queryId":"q1","schema":"`S` STRING"}},"# + "\n"
        func row(_ length: Int) -> String {
            let inner = "[\"" + String(repeating: "v", count: length - 4) + "\"]"
            return format == .delimited ? inner + "\n" : #"{"row":{"columns":"# + inner + "}},\n"
        }
        let overhead = format == .delimited ? 0 : #"{"row":{"columns":}},"#.count
        func feed(_ chunks: [String]) throws -> (rows: Int, fed: Int) {
            var framer = KsqlQueryFramer(format: format, maxRowBytes: limit)
            var rows = 0
            var fed = 0
            for text in chunks {
                var bytes = Array(text.utf8)
                fed += bytes.count
                do {
                    try framer.consume(&bytes, onHeader: { _ in }, onRows: { rows += $0.count })
                } catch {
                    throw Failure(error: error, rows: rows, fed: fed)
                }
            }
            try framer.finish(onHeader: { _ in }, onRows: { rows += $0.count })
            return (rows, fed)
        }
        struct Failure: Error { var error: any Error; var rows: Int; var fed: Int }

        // A line of exactly the limit passes, in one chunk or byte by byte.
        let atLimit = header + row(limit - overhead)
        #expect(try feed([atLimit]).rows == 1)
        #expect(try feed(atLimit.map { String($0) }).rows == 1)

        // One byte more, complete in one chunk: the row before it is handed over, then the error.
        do {
            _ = try feed([header + row(10) + row(limit - overhead + 1)])
            Issue.record("a line over the limit passed")
        } catch let failure as Failure {
            #expect(failure.rows == 1)
            #expect((failure.error as? KsqlDBError)?.message.hasPrefix(
                "ksqlDB sent a row line longer than the limit of 1024 bytes (ksqldb.max_row_bytes) at line 3 of the query response after 1 rows") == true,
                "\(failure.error)")
        }

        // A line that never ends, in chunks of 100 bytes: the error comes once the limit is passed.
        let endless = [header, row(10)] + Array(repeating: String(repeating: "w", count: 100), count: 1_000)
        do {
            _ = try feed(endless)
            Issue.record("an endless line passed")
        } catch let failure as Failure {
            #expect((failure.error as? KsqlDBError)?.kind == .malformed)
            #expect(failure.rows == 1)
            #expect(failure.fed <= header.utf8.count + 10 + overhead + 2 + limit + 100, "failed after \(failure.fed) bytes")
        }

        // The same, arriving as one chunk far over the limit.
        #expect(throws: Failure.self) { _ = try feed([header + String(repeating: "w", count: 10 * limit)]) }
    }

    // MARK: 2. type nesting depth

    @Test func typesNestedBeyondTheLimitAreAParseErrorNotAStackOverflow() throws {
        func arrays(_ depth: Int) -> String {
            String(repeating: "ARRAY<", count: depth) + "STRING" + String(repeating: ">", count: depth)
        }
        let deep = arrays(1_000)
        do {
            _ = try KsqlType.parse(deep)
            Issue.record("a 1000-deep type parsed")
        } catch {
            #expect(error.reason == "types nest deeper than 32 levels of ARRAY, MAP and STRUCT")
            #expect(error.offset == 32 * "ARRAY<".count)
            #expect(error.description.count < 400, "the message shows the start of the type only")
            #expect(!error.description.contains("\n"))
        }
        // 32 levels are fine, of every nesting kind; the 33rd is not.
        #expect(try KsqlType.parse(arrays(32)).description == arrays(32))
        #expect(throws: KsqlTypeParseError.self) { try KsqlType.parse(arrays(33)) }
        let mixed = String(repeating: "MAP<STRING, STRUCT<`F` ARRAY<", count: 10) + "INTEGER" + String(repeating: ">>>", count: 10)
        #expect(try KsqlType.parse(mixed).description == mixed)  // 30 levels
        #expect(throws: KsqlTypeParseError.self) {
            try KsqlType.parse(String(repeating: "STRUCT<A MAP<STRING, ", count: 17) + "INT" + String(repeating: ">>", count: 17))
        }
    }

    @Test(arguments: [true, false]) func aServerDescribingTypesTooDeepIsAClearError(overSocket: Bool) async throws {
        var deep = EmulatorType.string
        for _ in 0..<40 { deep = .array(deep) }
        try await Self.withEmulator(EmulatorConfiguration(), overSocket: overSocket, setup: { store in
            store.addStream(EmulatorSourceSchema(name: "DEEP", kind: .stream, columns: [EmulatorColumn("A", deep)]),
                            rows: [EmulatorRow(rowtime: 1, values: [.null])])
        }, configure: { _ in }) { client, _ in
            let (error, rows) = await KsqlDBClientIntegrationTests.failure(client, "SELECT * FROM DEEP;")
            #expect(error?.kind == .malformed)
            #expect(error?.message.hasPrefix("ksqlDB sent an unknown type for column A: invalid ksqlDB type \"ARRAY<ARRAY<") == true,
                    "\(String(describing: error))")
            #expect(error?.message.hasSuffix(": types nest deeper than 32 levels of ARRAY, MAP and STRUCT") == true)
            #expect(rows == 0)
            await #expect(throws: KsqlDBError(.malformed,
                "ksqlDB described column A with types nested deeper than 32 levels of ARRAY, MAP and STRUCT")) {
                _ = try await client.describe("DEEP")
            }
        }
    }

    // MARK: 3. overall query timeout

    @Test(arguments: [true, false]) func aServerTricklingRowsForeverHitsTheQueryTimeout(overSocket: Bool) async throws {
        // One row every 100 ms keeps the read timeout happy for the 1,000 s this query would take.
        try await Self.withEmulator(EmulatorConfiguration(faults: EmulatorFaults(rowDelay: .milliseconds(100))),
                                    overSocket: overSocket, setup: KsqlDBClientIntegrationTests.numbered(10_000),
                                    configure: { $0.queryTimeout = .milliseconds(800); $0.readTimeout = Self.farReadTimeout }) { client, emulator in
            let started = ContinuousClock.now
            let (error, rows) = await KsqlDBClientIntegrationTests.failure(client, "SELECT * FROM NUMBERS;")
            let elapsed = ContinuousClock.now - started
            #expect(error?.kind == .timeout)
            #expect(error?.message.hasPrefix("ksqlDB query did not finish within 0.8 s (ksqldb.query_timeout_seconds): "
                + "POST /query-stream to ksqlDB at 127.0.0.1:") == true, "\(String(describing: error))")
            #expect(error?.message.hasSuffix(" was stopped after \(rows) rows") == true, "\(String(describing: error))")
            #expect(rows > 0 && rows < 10_000)
            // Far below the 1,000 s the query would take; loose, as the CPU-bound tests that run
            // alongside can hold both of a 2-core machine's task threads for half a minute.
            #expect(elapsed >= .milliseconds(800) && elapsed < Self.slack, "\(elapsed)")

            // A query within the timeout succeeds, and the client is still usable.
            emulator.setFaults(EmulatorFaults())
            let after = try await KsqlDBClientIntegrationTests.collect(client, "SELECT * FROM NUMBERS WHERE ROWTIME < 3;")
            #expect(after.rows == [#"[0,"name-0"]"#, #"[1,"name-1"]"#, #"[2,"name-2"]"#])
        }
    }

    @Test(arguments: [true, false]) func theQueryTimeoutCoversTheFallbackToLegacyQuery(overSocket: Bool) async throws {
        try await Self.withEmulator(EmulatorConfiguration(serverVersion: "0.23.1", faults: EmulatorFaults(rowDelay: .milliseconds(100))),
                                    overSocket: overSocket, setup: KsqlDBClientIntegrationTests.numbered(1_000),
                                    configure: { $0.queryTimeout = .milliseconds(600); $0.readTimeout = Self.farReadTimeout }) { client, _ in
            let started = ContinuousClock.now
            let (error, _) = await KsqlDBClientIntegrationTests.failure(client, "SELECT * FROM NUMBERS;")
            #expect(error?.kind == .timeout)
            // Under load the 0.6 s can run out before the fallback is reached: then it names /query-stream.
            #expect(error?.message.hasPrefix("ksqlDB query did not finish within 0.6 s (ksqldb.query_timeout_seconds): POST /query") == true,
                    "\(String(describing: error))")
            #expect(ContinuousClock.now - started < Self.slack)
        }
    }

    @Test(arguments: [true, false]) func aSilentServerHitsTheQueryTimeoutBeforeTheReadTimeout(overSocket: Bool) async throws {
        // Header, then nothing: the read timeout is far off, the query timeout is not.
        let server = try RawHTTPServer { connection in
            guard connection.send(Self.streamHead), connection.send(Self.chunk(Self.headerLine)) else { return }
            connection.waitForClose()
        }
        defer { server.stop() }
        let client = Self.client(port: server.port, overSocket: overSocket, readTimeout: Self.farReadTimeout) { $0.queryTimeout = .milliseconds(500) }
        let started = ContinuousClock.now
        let (error, _) = await KsqlDBClientIntegrationTests.failure(client, "SELECT * FROM QUIET;")
        try await client.shutdown()
        #expect(error?.kind == .timeout)
        #expect(error?.message.hasPrefix("ksqlDB query did not finish within 0.5 s (ksqldb.query_timeout_seconds)") == true,
                "\(String(describing: error))")
        #expect(ContinuousClock.now - started < Self.slack, "well before the read timeout")
    }

    // MARK: 4. both endpoints refused

    @Test(arguments: [true, false]) func whenBothEndpointsRefuseTheServersErrorIsKept(overSocket: Bool) async throws {
        let refusal = Array(#"{"@type":"generic_error","error_code":40004,"message":"This endpoint is only available when using HTTP2"}"#.utf8)
        let server = try RawHTTPServer { connection in
            _ = connection.send(Array(("HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\n"
                + "content-length: \(refusal.count)\r\nconnection: close\r\n\r\n").utf8) + refusal)
        }
        defer { server.stop() }
        let client = Self.client(port: server.port, overSocket: overSocket)
        let expected = KsqlDBError(.http(status: 400, errorCode: 40004),
            "ksqlDB at 127.0.0.1:\(server.port) refused both /query-stream and /query over HTTP/1.1 (HTTP 400, error 40004): "
            + "This endpoint is only available when using HTTP2")
        let (first, _) = await KsqlDBClientIntegrationTests.failure(client, "SELECT * FROM NUMBERS;")
        #expect(first == expected)
        // The next query goes straight to /query, and says the same.
        let (second, _) = await KsqlDBClientIntegrationTests.failure(client, "SELECT * FROM NUMBERS;")
        #expect(second == expected)
        #expect(server.paths == ["/query-stream", "/query", "/query"])
        try await client.shutdown()
    }

    @Test(arguments: [true, false]) func whenLegacyQueryFailsAfterTheFallbackTheServersErrorIsKept(overSocket: Bool) async throws {
        // An old server (40004 on /query-stream) whose /query then fails with 500.
        try await Self.withEmulator(EmulatorConfiguration(serverVersion: "0.23.1", faults: EmulatorFaults(failStatus: 500)),
                                    overSocket: overSocket, setup: KsqlDBClientIntegrationTests.numbered(10),
                                    configure: { _ in }) { client, emulator in
            let (error, rows) = await KsqlDBClientIntegrationTests.failure(client, "SELECT * FROM NUMBERS;")
            #expect(error?.kind == .http(status: 500, errorCode: 50000))
            #expect(error?.message.contains("failed POST /query (HTTP 500, error 50000): The server encountered an internal error") == true,
                    "\(String(describing: error))")
            #expect(rows == 0)
            emulator.setFaults(EmulatorFaults())
            let healed = try await KsqlDBClientIntegrationTests.collect(client, "SELECT * FROM NUMBERS;")
            #expect(healed.rows.count == 10)
            #expect(healed.summary?.endpoint == .legacyQuery)
        }
    }

    // MARK: 5. lake.yaml

    @Test func lakeYAMLSetsTheLimitsAndPassesThemToTheClient() throws {
        let dir = TempDirectory()
        let config = dir.makeProject(lake: """
            root: data_lake
            ksqldb:
              url: http://ksqldb.internal:8088
              max_row_bytes: 1_048_576
              query_timeout_seconds: 900

            """, feeds: [:])
        let settings = try DesiredStateLoader.load(configPath: config).config.ksqldb
        #expect(settings.maxRowBytes == 1_048_576)
        #expect(settings.queryTimeoutSeconds == 900)
        let client = try settings.clientConfiguration(environment: [:])
        #expect(client.maxRowBytes == 1_048_576)
        #expect(client.queryTimeout == .seconds(900))

        let defaults = try DesiredStateLoader.load(configPath: dir.makeProject(feeds: [:])).config.ksqldb.clientConfiguration(environment: [:])
        #expect(defaults.maxRowBytes == 16 << 20)
        #expect(defaults.queryTimeout == nil)
    }

    @Test func lakeYAMLRejectsLimitsOutOfRange() {
        let dir = TempDirectory()
        let config = dir.makeProject(lake: """
            root: data_lake
            ksqldb:
              max_row_bytes: 1000
              query_timeout_seconds: 0
              max_row_byte: 4096

            """, feeds: [:])
        #expect(loadErrors(config, base: dir.path) == [
            "lake.yaml:3:18: error: \"max_row_bytes\" must be between 1024 and 1073741824, found 1000",
            "lake.yaml:4:26: error: \"query_timeout_seconds\" must be between 1 and 2147483647, found 0",
            "lake.yaml:5:3: error: unknown key \"max_row_byte\" in ksqldb (did you mean \"max_row_bytes\"?)",
        ])
        let other = dir.makeProject(lake: "root: data_lake\nksqldb:\n  max_row_bytes: 2_000_000_000\n  query_timeout_seconds: soon\n", feeds: [:])
        #expect(loadErrors(other, base: dir.path) == [
            "lake.yaml:3:18: error: \"max_row_bytes\" must be between 1024 and 1073741824, found 2000000000",
            "lake.yaml:4:26: error: \"query_timeout_seconds\" must be an integer, found \"soon\"",
        ])
    }
}

/// A bare HTTP/1.1 server on 127.0.0.1 for answers the emulator cannot give: for each connection it
/// reads one request (head and body), lets `respond` write whatever bytes it likes, then closes.
final class RawHTTPServer: Sendable {
    let port: Int
    private let listener: Int32
    private let sent = Atomic<Int>(0)
    private let requestPaths = Mutex<[String]>([])

    /// Body bytes and all: everything written to clients so far.
    var bytesSent: Int { sent.load(ordering: .relaxed) }
    /// The paths of the requests received, in order.
    var paths: [String] { requestPaths.withLock { $0 } }

    init(respond: @escaping @Sendable (RawHTTPConnection) -> Void) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sockaddr in
                bind(fd, sockaddr, length) == 0 && listen(fd, 16) == 0 && getsockname(fd, sockaddr, &length) == 0
            }
        }
        guard bound else {
            close(fd)
            throw POSIXError(.EADDRNOTAVAIL)
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in
            while true {
                let connection = accept(fd, nil, nil)
                if connection < 0 {
                    if errno == EINTR { continue }
                    break
                }
                let worker = Thread {
                    if let path = Self.readRequest(connection) {
                        self.requestPaths.withLock { $0.append(path) }
                        respond(RawHTTPConnection(fd: connection, server: self))
                    }
                    close(connection)
                }
                worker.start()
            }
            close(fd)
        }
        thread.start()
    }

    /// Stops accepting; connections being answered end when their client goes.
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
    }

    fileprivate func count(_ n: Int) {
        sent.add(n, ordering: .relaxed)
    }

    /// Reads a request's head and its `content-length` body; returns its path.
    private static func readRequest(_ fd: Int32) -> String? {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        let separator = Array("\r\n\r\n".utf8)
        var headEnd: Int?
        var bodyLength = 0
        while headEnd.map({ received.count < $0 + bodyLength }) ?? true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return nil }
            received.append(contentsOf: buffer[..<n])
            if headEnd == nil, let end = received.firstRange(of: separator)?.upperBound {
                headEnd = end
                let head = String(decoding: received[..<end], as: UTF8.self).lowercased()
                if let line = head.split(separator: "\r\n").first(where: { $0.hasPrefix("content-length:") }) {
                    bodyLength = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) ?? 0
                }
            }
        }
        let requestLine = String(decoding: received.prefix { $0 != 0x0D }, as: UTF8.self).split(separator: " ")
        return requestLine.count > 1 ? String(requestLine[1]) : nil
    }
}

/// One accepted connection of a `RawHTTPServer`.
struct RawHTTPConnection: Sendable {
    let fd: Int32
    let server: RawHTTPServer

    /// Writes all of `bytes`; false once the client is gone.
    func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw in
                Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
            }
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += n
            server.count(n)
        }
        return true
    }

    /// Waits until the client closes the connection (or sends more, which is ignored).
    func waitForClose() {
        var byte: UInt8 = 0
        while recv(fd, &byte, 1, 0) > 0 {}
    }
}
