import Foundation
import Synchronization
import Testing
@testable import DataLake
import DataLakeTestSupport
@testable import KsqlDBClient
@testable import KsqlParquet
@testable import LakeStorage
@testable import KsqlDBEmulator

/// The client against the emulator over real HTTP on a loopback port: every endpoint, every SQL type,
/// every fault (each a clear error, never a short result taken as complete), auth, the /query fallback.
@Suite struct KsqlDBClientIntegrationTests {
    // MARK: fixture

    /// Starts an emulator on a free port and a client pointed at it, for the body's duration.
    static func with(
        _ configuration: EmulatorConfiguration = EmulatorConfiguration(),
        credentials: (user: String, password: String)? = nil,
        readTimeout: Duration = .seconds(30),
        overSocket: Bool = true,
        setup: (EmulatorStore) throws -> Void = allTypes,
        _ body: (KsqlDBClient, KsqlDBEmulator) async throws -> Void
    ) async throws {
        let emulator = KsqlDBEmulator(configuration: configuration)
        try setup(emulator.store)
        let port = try await emulator.start(host: "127.0.0.1", port: 0)
        var clientConfiguration = KsqlDBClientConfiguration(
            url: URL(string: "http://127.0.0.1:\(port)")!, connectTimeout: .seconds(5), readTimeout: readTimeout,
            credentials: credentials)
        clientConfiguration.streamsOverSocket = overSocket
        let client = KsqlDBClient(configuration: clientConfiguration)
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

    /// A stream covering every SQL type (values whose ksqlDB rendering is spelled out below) and a table.
    static func allTypes(_ store: EmulatorStore) throws {
        let columns = [
            EmulatorColumn("K", .string, isKey: true), EmulatorColumn("B", .boolean), EmulatorColumn("I", .integer),
            EmulatorColumn("L", .bigint), EmulatorColumn("D", .double), EmulatorColumn("DEC", .decimal(precision: 4, scale: 2)),
            EmulatorColumn("S", .string), EmulatorColumn("BY", .bytes), EmulatorColumn("DT", .date),
            EmulatorColumn("TM", .time), EmulatorColumn("TS", .timestamp), EmulatorColumn("A", .array(.string)),
            EmulatorColumn("M", .map(key: .string, value: .integer)),
            EmulatorColumn("ST", .structure([
                EmulatorField("F1", .string), EmulatorField("DEC", .decimal(precision: 4, scale: 2)),
                EmulatorField("INNER", .structure([EmulatorField("XS", .array(.bigint))])),
            ])),
        ]
        store.addStream(EmulatorSourceSchema(name: "ALL_TYPES", kind: .stream, columns: columns, topic: "all_types"), rows: [
            EmulatorRow(rowtime: 1_000, values: [
                .string("k1"), .boolean(true), .int(7), .int(9_223_372_036_854_775_807), .double(37.7877),
                .decimal(unscaled: 1000, scale: 2), .string("a\"b\n"), .bytes([123]), .int(10), .int(10_000),
                .int(943_959_600_000), .array([.string("x"), .null]), .map([EmulatorMapEntry("m", .int(1))]),
                .structure([.string("f"), .decimal(unscaled: 150, scale: 2), .structure([.array([.int(1), .int(2)])])]),
            ]),
            EmulatorRow(rowtime: 2_000, values: [
                .string("k2"), .boolean(false), .int(-1), .int(0), .double(0.5), .decimal(unscaled: -5, scale: 2),
                .null, .bytes([1]), .int(0), .int(0), .int(0), .array([]), .map([]), .null,
            ]),
        ])
        store.addTable(EmulatorSourceSchema(name: "COUNTS", kind: .table, columns: [
            EmulatorColumn("USERID", .string, isKey: true), EmulatorColumn("COUNT", .bigint),
        ], topic: "counts"), rows: [
            EmulatorRow(rowtime: 5, values: [.string("USER_0"), .int(1)]),
            EmulatorRow(rowtime: 6, values: [.string("USER_1"), .int(2)]),
        ])
    }

    static let allTypesColumns = [
        KsqlColumn(name: "K", type: .string, role: .key), KsqlColumn(name: "B", type: .boolean, role: .value),
        KsqlColumn(name: "I", type: .integer, role: .value), KsqlColumn(name: "L", type: .bigint, role: .value),
        KsqlColumn(name: "D", type: .double, role: .value),
        KsqlColumn(name: "DEC", type: .decimal(precision: 4, scale: 2), role: .value),
        KsqlColumn(name: "S", type: .string, role: .value), KsqlColumn(name: "BY", type: .bytes, role: .value),
        KsqlColumn(name: "DT", type: .date, role: .value), KsqlColumn(name: "TM", type: .time, role: .value),
        KsqlColumn(name: "TS", type: .timestamp, role: .value), KsqlColumn(name: "A", type: .array(.string), role: .value),
        KsqlColumn(name: "M", type: .map(key: .string, value: .integer), role: .value),
        KsqlColumn(name: "ST", type: .struct([
            KsqlField(name: "F1", type: .string), KsqlField(name: "DEC", type: .decimal(precision: 4, scale: 2)),
            KsqlField(name: "INNER", type: .struct([KsqlField(name: "XS", type: .array(.bigint))])),
        ]), role: .value),
    ]

    static let allTypesRows = [
        #"["k1",true,7,9223372036854775807,37.7877,10.00,"a\"b\n","ew==","1970-01-11","00:00:10","1999-11-30T11:00:00.000",["x",null],{"m":1},{"F1":"f","DEC":1.5,"INNER":{"XS":[1,2]}}]"#,
        #"["k2",false,-1,0,0.5,-0.05,null,"AQ==","1970-01-01","00:00","1970-01-01T00:00:00.000",[],{},null]"#,
    ]

    /// Rows of `stream` as the emulator generates them: `count` rows `[id, "name-<id>"]`.
    static func numbered(_ count: Int) -> (EmulatorStore) throws -> Void {
        { store in
            store.addStream(EmulatorSourceSchema(name: "NUMBERS", kind: .stream, columns: [
                EmulatorColumn("ID", .bigint), EmulatorColumn("NAME", .string),
            ]), rows: (0..<count).map { EmulatorRow(rowtime: Int64($0), values: [.int(Int64($0)), .string("name-\($0)")]) })
        }
    }

    /// Collects a query's header and row lines; asserts the header comes once and first.
    struct Collected {
        var header: KsqlQueryHeader?
        var rows: [String] = []
        var summary: KsqlQuerySummary?
    }

    static func collect(_ client: KsqlDBClient, _ sql: String, into collected: inout Collected) async throws {
        var headers = 0
        let summary = try await client.streamQuery(sql, onHeader: { header in
            headers += 1
            collected.header = header
        }, onRows: { batch in
            #expect(headers == 1, "header before rows")
            batch.forEachLine { collected.rows.append(String(decoding: $0, as: UTF8.self)) }
        })
        collected.summary = summary
    }

    static func collect(_ client: KsqlDBClient, _ sql: String) async throws -> Collected {
        var collected = Collected()
        try await collect(client, sql, into: &collected)
        return collected
    }

    /// Runs `sql`, expecting a `KsqlDBError`; returns it and the rows handed over before it.
    static func failure(_ client: KsqlDBClient, _ sql: String) async -> (KsqlDBError?, Int) {
        var collected = Collected()
        do {
            try await collect(client, sql, into: &collected)
            Issue.record("\(sql) succeeded with \(collected.rows.count) rows")
            return (nil, collected.rows.count)
        } catch let error as KsqlDBError {
            return (error, collected.rows.count)
        } catch {
            Issue.record("unexpected \(error)")
            return (nil, collected.rows.count)
        }
    }

    // MARK: statements

    @Test func infoAndHealthcheck() async throws {
        try await Self.with(EmulatorConfiguration(serverVersion: "0.29.0")) { client, _ in
            let info = try await client.info()
            #expect(info.version == "0.29.0")
            #expect(info.status == "RUNNING")
            #expect(info.serviceId != nil)
            let health = try await client.healthcheck()
            #expect(health.isHealthy)
            #expect(health.details["metastore"] == true)
            #expect(health.details["kafka"] == true)
        }
    }

    @Test func listsAndDescribesSources() async throws {
        try await Self.with { client, _ in
            #expect(try await client.listSources() == [
                KsqlSourceInfo(name: "ALL_TYPES", kind: .stream, topic: "all_types", keyFormat: "KAFKA", valueFormat: "JSON",
                               isWindowed: false),
                KsqlSourceInfo(name: "COUNTS", kind: .table, topic: "counts", keyFormat: "KAFKA", valueFormat: "JSON",
                               isWindowed: false),
            ])
            let description = try await client.describe("all_types")
            #expect(description == KsqlSourceDescription(
                name: "ALL_TYPES", kind: .stream, topic: "all_types", keyFormat: "KAFKA", valueFormat: "JSON",
                columns: Self.allTypesColumns))
            let all = try await client.describeSources()
            #expect(all.map(\.name) == ["ALL_TYPES", "COUNTS"])
            #expect(all[1].kind == .table)
            #expect(all[1].keyColumns == [KsqlColumn(name: "USERID", type: .string, role: .key)])
        }
    }

    @Test func unknownSourcesAreNamed() async throws {
        try await Self.with { client, _ in
            await #expect(throws: KsqlDBError(.http(status: 400, errorCode: 40001), "ksqlDB has no stream or table named NOPE")) {
                _ = try await client.describe("nope")
            }
            let (error, rows) = await Self.failure(client, "SELECT * FROM MISSING;")
            #expect(error == KsqlDBError(.http(status: 400, errorCode: 40001), "ksqlDB has no stream or table named MISSING"))
            #expect(rows == 0)
        }
    }

    @Test func badSQLKeepsKsqlDBsMessage() async throws {
        try await Self.with { client, _ in
            let (error, _) = await Self.failure(client, "SELECT * FORM ALL_TYPES;")
            #expect(error?.kind == .http(status: 400, errorCode: 40001))
            #expect(error?.message.hasPrefix("ksqlDB at 127.0.0.1:") == true)
            #expect(error?.message.contains("rejected POST /query-stream (HTTP 400, error 40001): ") == true)
        }
    }

    // MARK: queries

    @Test(arguments: [true, false]) func streamsEverySQLTypeWithItsHeader(overSocket: Bool) async throws {
        try await Self.with(overSocket: overSocket) { client, _ in
            let result = try await Self.collect(client, "SELECT * FROM ALL_TYPES;")
            #expect(result.header?.columns == Self.allTypesColumns.map { KsqlField(name: $0.name, type: $0.type) })
            #expect(result.header?.queryId?.isEmpty == false)
            #expect(result.rows == Self.allTypesRows)
            #expect(result.summary?.rows == 2)
            #expect(result.summary?.endpoint == .queryStream)
        }
    }

    @Test(arguments: [true, false]) func tablePullQuery(overSocket: Bool) async throws {
        try await Self.with(overSocket: overSocket) { client, _ in
            let result = try await Self.collect(client, "SELECT * FROM COUNTS;")
            #expect(result.header?.columns == [KsqlField(name: "USERID", type: .string), KsqlField(name: "COUNT", type: .bigint)])
            #expect(result.rows.sorted() == [#"["USER_0",1]"#, #"["USER_1",2]"#])
        }
    }

    @Test(arguments: [true, false]) func whereOnRowtimeAndAnEmptyResult(overSocket: Bool) async throws {
        try await Self.with(overSocket: overSocket) { client, _ in
            #expect(try await Self.collect(client, "SELECT * FROM ALL_TYPES WHERE ROWTIME >= 2000;").rows == [Self.allTypesRows[1]])
            let empty = try await Self.collect(client, "SELECT * FROM ALL_TYPES WHERE ROWTIME > 5000;")
            #expect(empty.header != nil)
            #expect(empty.rows.isEmpty)
            #expect(empty.summary?.rows == 0)
        }
    }

    @Test(arguments: [true, false]) func manyRowsWithASlowConsumerArriveCompleteAndInOrder(overSocket: Bool) async throws {
        let count = 30_000
        try await Self.with(overSocket: overSocket, setup: Self.numbered(count)) { client, _ in
            var next = 0
            var batches = 0
            var mismatches = 0
            let summary = try await client.streamQuery("SELECT * FROM NUMBERS;", onHeader: { _ in }, onRows: { batch in
                batches += 1
                if batches <= 3 { usleep(100_000) }  // a busy writer: the read pauses meanwhile
                batch.forEachLine { line in
                    if String(decoding: line, as: UTF8.self) != "[\(next),\"name-\(next)\"]" { mismatches += 1 }
                    next += 1
                }
            })
            #expect(next == count)
            #expect(mismatches == 0)
            #expect(summary.rows == count)
            #expect(batches < count, "rows are handed over in batches")
            // The client is reusable after a long stream.
            #expect(try await Self.collect(client, "SELECT * FROM NUMBERS WHERE ROWTIME >= \(count - 2);").rows
                == ["[\(count - 2),\"name-\(count - 2)\"]", "[\(count - 1),\"name-\(count - 1)\"]"])
        }
    }

    @Test(arguments: [true, false]) func consumerErrorsEndTheQueryAndTheClientStaysUsable(overSocket: Bool) async throws {
        struct WriterFull: Error, Equatable {}
        try await Self.with(overSocket: overSocket, setup: Self.numbered(50_000)) { client, _ in
            await #expect(throws: WriterFull()) {
                _ = try await client.streamQuery("SELECT * FROM NUMBERS;", onHeader: { _ in }, onRows: { _ in throw WriterFull() })
            }
            await #expect(throws: WriterFull()) {
                _ = try await client.streamQuery("SELECT * FROM NUMBERS;", onHeader: { _ in throw WriterFull() }, onRows: { _ in })
            }
            let after = try await Self.collect(client, "SELECT * FROM NUMBERS WHERE ROWTIME < 2;")
            #expect(after.rows == [#"[0,"name-0"]"#, #"[1,"name-1"]"#])
        }
    }

    @Test(arguments: [true, false]) func cancellingTheTaskEndsTheQuery(overSocket: Bool) async throws {
        try await Self.with(EmulatorConfiguration(faults: EmulatorFaults(rowDelay: .milliseconds(50))),
                            overSocket: overSocket, setup: Self.numbered(1_000)) { client, _ in
            let rows = Mutex(0)
            let query = Task {
                try await client.streamQuery("SELECT * FROM NUMBERS;", onHeader: { _ in }, onRows: { batch in
                    rows.withLock { $0 += batch.count }
                })
            }
            while rows.withLock({ $0 }) < 3 { try await Task.sleep(for: .milliseconds(10)) }
            query.cancel()
            await #expect(throws: CancellationError.self) { _ = try await query.value }
            #expect(rows.withLock { $0 } < 1_000)
            let after = try await Self.collect(client, "SELECT * FROM NUMBERS WHERE ROWTIME < 1;")
            #expect(after.rows == [#"[0,"name-0"]"#])
        }
    }

    // MARK: faults

    @Test(arguments: [true, false]) func droppedConnectionIsAnErrorNotAShortResult(overSocket: Bool) async throws {
        try await Self.with(EmulatorConfiguration(faults: EmulatorFaults(dropConnectionAfterRows: 5)), overSocket: overSocket, setup: Self.numbered(100)) { client, _ in
            let (error, rows) = await Self.failure(client, "SELECT * FROM NUMBERS;")
            #expect(error?.kind == .connectionDropped)
            #expect(error?.message.contains("closed before the POST /query-stream response was complete after 5 rows") == true,
                    "\(String(describing: error))")
            #expect(rows == 5)
        }
    }

    @Test(arguments: [true, false]) func errorStatusesBeforeTheStream(overSocket: Bool) async throws {
        try await Self.with(EmulatorConfiguration(faults: EmulatorFaults(failStatus: 500)), overSocket: overSocket, setup: Self.numbered(10)) { client, emulator in
            let (error, rows) = await Self.failure(client, "SELECT * FROM NUMBERS;")
            #expect(error?.kind == .http(status: 500, errorCode: 50000))
            #expect(error?.message.hasPrefix("ksqlDB at 127.0.0.1:") == true)
            #expect(error?.message.contains("failed POST /query-stream (HTTP 500, error 50000): ") == true)
            #expect(rows == 0)

            emulator.setFaults(EmulatorFaults(failStatus: 429))
            let (limited, _) = await Self.failure(client, "SELECT * FROM NUMBERS;")
            #expect(limited?.kind == .http(status: 429, errorCode: 42900))
            #expect(limited?.message.contains("is rate-limiting queries (HTTP 429, error 42900)") == true)

            emulator.setFaults(EmulatorFaults())
            let healed = try await Self.collect(client, "SELECT * FROM NUMBERS;")
            #expect(healed.rows.count == 10)
        }
    }

    @Test(arguments: [true, false]) func midStreamErrorFailsTheQuery(overSocket: Bool) async throws {
        try await Self.with(EmulatorConfiguration(faults: EmulatorFaults(midStreamErrorAfterRows: 3)), overSocket: overSocket, setup: Self.numbered(10)) { client, _ in
            let (error, rows) = await Self.failure(client, "SELECT * FROM NUMBERS;")
            #expect(error?.kind == .midStream(errorCode: 50000))
            #expect(error?.message.hasPrefix("ksqlDB failed the query after 3 rows (error 50000)") == true)
            #expect(rows == 3)
        }
    }

    @Test(arguments: [true, false]) func malformedRowFailsTheQuery(overSocket: Bool) async throws {
        try await Self.with(EmulatorConfiguration(faults: EmulatorFaults(malformedRowAt: 2)), overSocket: overSocket, setup: Self.numbered(10)) { client, _ in
            let (error, rows) = await Self.failure(client, "SELECT * FROM NUMBERS;")
            #expect(error?.kind == .malformed)
            #expect(error?.message.hasPrefix("ksqlDB sent a malformed query response: an incomplete row at line 4 of the body: ") == true,
                    "\(String(describing: error))")
            #expect(rows <= 2)
        }
    }

    @Test(arguments: [true, false]) func slowRowsWithinTheReadTimeoutAndASilentServerBeyondIt(overSocket: Bool) async throws {
        try await Self.with(EmulatorConfiguration(faults: EmulatorFaults(rowDelay: .milliseconds(20))),
                            readTimeout: .milliseconds(400), overSocket: overSocket, setup: Self.numbered(10)) { client, emulator in
            let slow = try await Self.collect(client, "SELECT * FROM NUMBERS;")
            #expect(slow.rows.count == 10)
            emulator.setFaults(EmulatorFaults(rowDelay: .seconds(2)))
            let (error, _) = await Self.failure(client, "SELECT * FROM NUMBERS;")
            #expect(error?.kind == .timeout)
            #expect(error?.message.contains("sent nothing for 0.4 s (read timeout) during POST /query-stream") == true,
                    "\(String(describing: error))")
        }
    }

    @Test(arguments: [true, false]) func aConsumerSlowerThanTheReadTimeoutIsNotATimeout(overSocket: Bool) async throws {
        // 4 MB of rows: the read pauses at the 1 MiB high-water mark while the consumer sleeps, and
        // that silence is not the server's. The read timeout leaves the in-process server 1.5 s for
        // its first bytes (a loaded machine running the other tests took more than 0.3 s), and the
        // consumer sleeps past it.
        let count = 4_000
        let pad = String(repeating: "x", count: 1_000)
        try await Self.with(readTimeout: .milliseconds(1_500), overSocket: overSocket, setup: { store in
            store.addStream(EmulatorSourceSchema(name: "WIDE", kind: .stream, columns: [
                EmulatorColumn("ID", .bigint), EmulatorColumn("PAD", .string),
            ]), rows: (0..<count).map { EmulatorRow(rowtime: Int64($0), values: [.int(Int64($0)), .string(pad)]) })
        }) { client, _ in
            var batches = 0
            var rows = 0
            let summary = try await client.streamQuery("SELECT * FROM WIDE;", onHeader: { _ in }, onRows: { batch in
                batches += 1
                if batches <= 2 { usleep(2_000_000) }
                rows += batch.count
            })
            #expect(rows == count)
            #expect(summary.rows == count)
        }
    }

    @Test func unreachableServer() async throws {
        let client = KsqlDBClient(configuration: KsqlDBClientConfiguration(url: URL(string: "http://127.0.0.1:1")!))
        defer { Task { try? await client.shutdown() } }
        do {
            _ = try await client.info()
            Issue.record("reached port 1")
        } catch let error as KsqlDBError {
            #expect(error.kind == .unreachable)
            #expect(error.message == "cannot reach ksqlDB at 127.0.0.1:1: connection refused")
        }
    }

    @Test(arguments: [true, false]) func unreachableServerForAQuery(overSocket: Bool) async throws {
        var configuration = KsqlDBClientConfiguration(url: URL(string: "http://127.0.0.1:1")!)
        configuration.streamsOverSocket = overSocket
        let client = KsqlDBClient(configuration: configuration)
        let (error, rows) = await Self.failure(client, "SELECT * FROM NUMBERS;")
        #expect(error == KsqlDBError(.unreachable, "cannot reach ksqlDB at 127.0.0.1:1: connection refused"))
        #expect(rows == 0)
        try await client.shutdown()
    }

    @Test func httpsAgainstAPlainHTTPServerIsAClearError() async throws {
        try await Self.with { plain, _ in
            let port = try #require(plain.configuration.url.port)
            for caFile in [nil, "/nonexistent/ca.pem"] {
                let client = KsqlDBClient(configuration: KsqlDBClientConfiguration(
                    url: URL(string: "https://127.0.0.1:\(port)")!, connectTimeout: .seconds(5), caFile: caFile))
                do {
                    _ = try await client.info()
                    Issue.record("TLS to a plain HTTP server succeeded")
                } catch let error as KsqlDBError {
                    #expect(error.kind == .unreachable, "\(error)")
                    // Words, not NIOSSL's enum cases: "…failed: wrong version number".
                    #expect(error.message.hasPrefix("TLS handshake with 127.0.0.1:\(port) failed: "), "\(error)")
                    #expect(!error.message.contains("NIOSSL") && !error.message.contains("handshakeFailed") && !error.message.contains("Error:"), "\(error)")
                }
                try await client.shutdown()
            }
        }
    }

    // MARK: auth

    @Test(arguments: [true, false]) func basicAuth(overSocket: Bool) async throws {
        let configuration = EmulatorConfiguration(basicAuth: ("alice", "s3cret-pw"))
        try await Self.with(configuration, credentials: ("alice", "s3cret-pw"), overSocket: overSocket) { client, _ in
            let info = try await client.info()
            #expect(info.version == "0.29.0")
            let counts = try await Self.collect(client, "SELECT * FROM COUNTS;")
            #expect(counts.rows.count == 2)
        }
        try await Self.with(configuration, credentials: ("alice", "wrong-pw"), overSocket: overSocket) { client, _ in
            let health = try await client.healthcheck()
            #expect(health.isHealthy, "/healthcheck skips authentication")
            do {
                _ = try await client.info()
                Issue.record("wrong password accepted")
            } catch let error as KsqlDBError {
                #expect(error.kind == .http(status: 401, errorCode: 40100))
                #expect(!error.message.contains("wrong-pw") && !error.message.contains("alice"))
                #expect(error.message.contains("rejected the credentials"))
            }
            let (error, _) = await Self.failure(client, "SELECT * FROM COUNTS;")
            #expect(error?.kind == .http(status: 401, errorCode: 40100))
            #expect(error.map { !$0.message.contains("wrong-pw") } == true)
        }
        try await Self.with(configuration, overSocket: overSocket) { client, _ in
            await #expect(throws: KsqlDBError.self) { _ = try await client.listSources() }
        }
    }

    // MARK: legacy /query fallback

    @Test(arguments: [true, false]) func oldServersFallBackToLegacyQuery(overSocket: Bool) async throws {
        try await Self.with(EmulatorConfiguration(serverVersion: "0.23.1"), overSocket: overSocket) { client, _ in
            let stream = try await Self.collect(client, "SELECT * FROM ALL_TYPES;")
            #expect(stream.summary?.endpoint == .legacyQuery)
            #expect(stream.header?.columns == Self.allTypesColumns.map { KsqlField(name: $0.name, type: $0.type) })
            #expect(stream.rows == Self.allTypesRows)

            let table = try await Self.collect(client, "SELECT * FROM COUNTS;")
            #expect(table.summary?.endpoint == .legacyQuery)
            #expect(table.rows.sorted() == [#"["USER_0",1]"#, #"["USER_1",2]"#])

            let empty = try await Self.collect(client, "SELECT * FROM ALL_TYPES WHERE ROWTIME > 5000;")
            #expect(empty.rows.isEmpty)
            #expect(empty.header != nil)
        }
    }

    @Test(arguments: [true, false]) func legacyFaults(overSocket: Bool) async throws {
        try await Self.with(EmulatorConfiguration(serverVersion: "0.23.1", faults: EmulatorFaults(midStreamErrorAfterRows: 4)),
                            overSocket: overSocket, setup: Self.numbered(10)) { client, emulator in
            let (error, rows) = await Self.failure(client, "SELECT * FROM NUMBERS;")
            #expect(error?.kind == .midStream(errorCode: 50000))
            #expect(rows == 4)
            emulator.setFaults(EmulatorFaults(dropConnectionAfterRows: 6))
            let (dropped, _) = await Self.failure(client, "SELECT * FROM NUMBERS;")
            #expect(dropped?.kind == .connectionDropped)
            emulator.setFaults(EmulatorFaults(malformedRowAt: 1))
            let (malformed, _) = await Self.failure(client, "SELECT * FROM NUMBERS;")
            #expect(malformed?.kind == .malformed)
        }
    }
}
