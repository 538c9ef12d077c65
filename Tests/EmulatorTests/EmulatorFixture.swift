@testable import KsqlDBEmulator

/// Starts an emulator on a free loopback port for the duration of a test.
enum EmulatorFixture {
    /// A stream and a table covering every SQL type, with rows whose rendering the tests spell out.
    static func allTypesStore(_ store: EmulatorStore) throws {
        let structType = try EmulatorType(parsing: "STRUCT<F1 STRING, `DEC` DECIMAL(4, 2), TS TIMESTAMP>")
        let columns = [
            EmulatorColumn("K", .string, isKey: true), EmulatorColumn("B", .boolean), EmulatorColumn("I", .integer),
            EmulatorColumn("L", .bigint), EmulatorColumn("D", .double), EmulatorColumn("DEC", .decimal(precision: 4, scale: 2)),
            EmulatorColumn("S", .string), EmulatorColumn("BY", .bytes), EmulatorColumn("DT", .date), EmulatorColumn("TM", .time),
            EmulatorColumn("TS", .timestamp), EmulatorColumn("A", .array(.string)), EmulatorColumn("M", .map(key: .string, value: .integer)),
            EmulatorColumn("ST", structType),
        ]
        store.addStream(EmulatorSourceSchema(name: "ALL_TYPES", kind: .stream, columns: columns), rows: [
            EmulatorRow(rowtime: 1_000, values: [
                .string("k1"), .boolean(true), .int(7), .int(9_223_372_036_854_775_807), .double(1e7), .decimal(unscaled: 1000, scale: 2),
                .string("a\"b\n"), .bytes([123]), .int(10), .int(10_000), .int(943_959_600_000), .array([.string("x")]),
                .map([EmulatorMapEntry("m", .int(1))]), .structure([.string("f"), .decimal(unscaled: 150, scale: 2), .int(943_959_600_000)]),
            ]),
            EmulatorRow(rowtime: 2_000, values: [
                .string("k2"), .boolean(false), .int(-1), .int(0), .double(37.7877), .decimal(unscaled: -5, scale: 2),
                .null, .bytes([1]), .int(0), .int(0), .int(0), .array([]), .map([]), .null,
            ]),
        ])
        store.addTable(EmulatorSourceSchema(name: "COUNTS", kind: .table, columns: [
            EmulatorColumn("USERID", .string, isKey: true), EmulatorColumn("COUNT", .bigint),
        ]), rows: [
            EmulatorRow(rowtime: 5, values: [.string("USER_0"), .int(1)]),
            EmulatorRow(rowtime: 6, values: [.string("USER_1"), .int(2)]),
        ])
    }

    static let allTypesRow1 = #"["k1",true,7,9223372036854775807,1.0E7,10.00,"a\"b\n","ew==","1970-01-11","00:00:10","1999-11-30T11:00:00.000",["x"],{"m":1},{"F1":"f","DEC":1.5,"TS":943959600000}]"#
    static let allTypesRow2 = #"["k2",false,-1,0,37.7877,-0.05,null,"AQ==","1970-01-01","00:00","1970-01-01T00:00:00.000",[],{},null]"#

    static func with<T>(_ configuration: EmulatorConfiguration = EmulatorConfiguration(),
                        setup: (EmulatorStore) throws -> Void = { _ in },
                        _ body: (Int, KsqlDBEmulator) async throws -> T) async throws -> T {
        let emulator = KsqlDBEmulator(configuration: configuration)
        try setup(emulator.store)
        let port = try await emulator.start()
        do {
            let result = try await body(port, emulator)
            try await emulator.stop()
            return result
        } catch {
            try? await emulator.stop()
            throw error
        }
    }

    /// `/query-stream` with a JSON body built from `sql`.
    static func queryStream(_ port: Int, _ sql: String, accept: String? = nil, properties: String = "{}") throws -> RawResponse {
        try RawHTTP.request(port: port, path: "/query-stream", body: #"{"sql":"\#(sql)","properties":\#(properties)}"#,
                            headers: accept.map { [("accept", $0)] } ?? [])
    }
}
