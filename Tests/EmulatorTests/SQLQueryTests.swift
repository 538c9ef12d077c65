import Testing
@testable import KsqlDBEmulator

/// The SQL subset: parsing, WHERE semantics, projections, LIMIT and INSERT, checked on served rows.
@Suite struct SQLQueryTests {
    static func events(_ store: EmulatorStore) throws {
        store.addStream(EmulatorSourceSchema(name: "EVENTS", kind: .stream, columns: [
            EmulatorColumn("ID", .bigint, isKey: true), EmulatorColumn("NAME", .string),
            EmulatorColumn("PRICE", .decimal(precision: 6, scale: 2)), EmulatorColumn("SCORE", .double),
            EmulatorColumn("AT", .timestamp),
        ]))
        // 2024-01-01T00:00:00Z = 1704067200000; one row per hour.
        for id in 0..<6 {
            try store.execute("""
                INSERT INTO events (ROWTIME, ID, NAME, PRICE, SCORE, AT) VALUES
                (\(1_704_067_200_000 + Int64(id) * 3_600_000), \(id), \(id == 5 ? "NULL" : "'n\(id)'"), \(id).50, \(Double(id) * 1.5), '2024-01-01T0\(id):00:00');
                """)
        }
    }

    static func rows(_ port: Int, _ sql: String) throws -> [String] {
        let response = try EmulatorFixture.queryStream(port, sql)
        #expect(response.status == 200, "\(sql): \(response.body)")
        return response.chunks.dropFirst().map { String($0.dropLast()) }
    }

    @Test func whereOnRowtime() async throws {
        try await EmulatorFixture.with(setup: Self.events) { port, _ throws in
            #expect(try Self.rows(port, "SELECT ID FROM events WHERE ROWTIME >= '2024-01-01T03:00:00';") == ["[3]", "[4]", "[5]"])
            #expect(try Self.rows(port, "SELECT ID FROM events WHERE ROWTIME < '2024-01-01T01:00:00.001' AND ROWTIME > 1704067200000;") == ["[1]"])
            #expect(try Self.rows(port, "SELECT ROWTIME, ID FROM events WHERE ROWTIME BETWEEN 1704070800000 AND 1704074400000;")
                    == ["[1704070800000,1]", "[1704074400000,2]"])
            #expect(try Self.rows(port, "SELECT ID FROM events WHERE AT >= '2024-01-01T04:00';") == ["[4]", "[5]"])
        }
    }

    @Test func whereOnColumns() async throws {
        try await EmulatorFixture.with(setup: Self.events) { port, _ throws in
            #expect(try Self.rows(port, "SELECT ID FROM events WHERE NAME = 'n2' OR PRICE >= 4.5;") == ["[2]", "[4]", "[5]"])
            #expect(try Self.rows(port, "SELECT ID FROM events WHERE NAME <> 'n2' AND NOT ID > 3;") == ["[0]", "[1]", "[3]"])
            #expect(try Self.rows(port, "SELECT ID FROM events WHERE NAME IS NULL;") == ["[5]"])
            #expect(try Self.rows(port, "SELECT ID FROM events WHERE SCORE NOT BETWEEN 1.5 AND 6;") == ["[0]", "[5]"])
            #expect(try Self.rows(port, "SELECT ID FROM events WHERE PRICE = 2.5 OR ID <= -1;") == ["[2]"])
            #expect(try Self.rows(port, "SELECT ID FROM events WHERE (ID = 1 OR ID = 2) AND PRICE < 2;") == ["[1]"])
            #expect(try Self.rows(port, "SELECT ID FROM events WHERE NAME IN ('n1', 'n3') OR ID NOT IN (0, 1, 2, 3, 4);") == ["[1]", "[3]", "[5]"])
        }
    }

    @Test func projectionsAndLimit() async throws {
        try await EmulatorFixture.with(setup: Self.events) { port, _ throws in
            let response = try EmulatorFixture.queryStream(port, "SELECT ROWTIME, * FROM events LIMIT 2;")
            #expect(response.chunks.first?.contains(#""columnNames":["ROWTIME","ID","NAME","PRICE","SCORE","AT"],"columnTypes":["BIGINT","BIGINT","STRING","DECIMAL(6, 2)","DOUBLE","TIMESTAMP"]"#) == true)
            #expect(response.chunks.dropFirst() == [
                #"[1704067200000,0,"n0",0.50,0.0,"2024-01-01T00:00:00.000"]"# + "\n",
                #"[1704070800000,1,"n1",1.50,1.5,"2024-01-01T01:00:00.000"]"# + "\n",
            ])
            #expect(try Self.rows(port, "SELECT `NAME`, id FROM EVENTS LIMIT 1;") == [#"["n0",0]"#])
            #expect(try Self.rows(port, "SELECT * FROM events LIMIT 0;") == [])
        }
    }

    @Test func insertValuesThroughKsqlEndpoint() async throws {
        try await EmulatorFixture.with(setup: Self.events) { port, emulator throws in
            let response = try RawHTTP.request(port: port, path: "/ksql", body: #"{"ksql":"INSERT INTO events (ID, NAME, ROWTIME) VALUES (9, 'late', '2023-12-31T23:00:00'); INSERT INTO events (ID, NAME, ROWTIME) VALUES (9, 'late', '2023-12-31T23:00:00');"}"#)
            #expect(response.status == 200)
            #expect(response.body == "[]")
            // Late events keep their ROWTIME but are appended at the end of the log; duplicates stay.
            #expect(try Self.rows(port, "SELECT ROWTIME, ID, NAME FROM events WHERE ROWTIME < '2024-01-01';")
                    == [#"[1704063600000,9,"late"]"#, #"[1704063600000,9,"late"]"#])
            #expect(try emulator.store.rows(of: "events").count == 8)
            let bad = try RawHTTP.request(port: port, path: "/ksql", body: #"{"ksql":"INSERT INTO events (ID) VALUES ('x');"}"#)
            #expect(bad.status == 400)
            #expect(bad.body.contains(#""error_code":40001"#))
            let unknown = try RawHTTP.request(port: port, path: "/ksql", body: #"{"ksql":"INSERT INTO nope (ID) VALUES (1);"}"#)
            #expect(unknown.body.contains("Cannot insert values into an unknown stream/table: NOPE"))
        }
    }

    @Test func insertNestedValues() throws {
        let store = EmulatorStore()
        store.addStream(EmulatorSourceSchema(name: "NESTED", kind: .stream, columns: [
            EmulatorColumn("S", try EmulatorType(parsing: "STRUCT<A INT, B ARRAY<STRING>>")),
            EmulatorColumn("M", .map(key: .string, value: .bigint)), EmulatorColumn("BY", .bytes),
        ]))
        try store.execute("INSERT INTO nested (ROWTIME, S, M, BY) VALUES (1, STRUCT(A := 1, B := ARRAY['x', 'y']), MAP('k' := 2), 'AQI=');")
        #expect(try store.rows(of: "NESTED") == [EmulatorRow(rowtime: 1, values: [
            .structure([.int(1), .array([.string("x"), .string("y")])]), .map([EmulatorMapEntry("k", .int(2))]), .bytes([1, 2]),
        ])])
    }

    @Test func parserStatements() throws {
        let parsed = try SQLParser.parse("list streams; SHOW TABLES EXTENDED;\nDESCRIBE `MiXed` EXTENDED; describe streams;")
        #expect(parsed.map(\.statement) == [
            .list(.stream, extended: false), .list(.table, extended: true),
            .describe(source: "MiXed", extended: true), .describeAll(.stream, extended: false),
        ])
        #expect(parsed.map(\.text) == ["list streams;", "SHOW TABLES EXTENDED;", "DESCRIBE `MiXed` EXTENDED;", "describe streams;"])
        #expect(throws: EmulatorError.self) { try SQLParser.parse("SELECT * FROM s LIMIT -1;") }
        #expect(throws: EmulatorError.self) { try SQLParser.parse("DROP STREAM s;") }
    }

    @Test func tablePullQueryWithFilter() async throws {
        try await EmulatorFixture.with(setup: EmulatorFixture.allTypesStore) { port, _ throws in
            #expect(try Self.rows(port, "SELECT * FROM counts WHERE USERID = 'USER_1';") == [#"["USER_1",2]"#])
            #expect(try Self.rows(port, "SELECT COUNT FROM counts WHERE COUNT > 0 LIMIT 1;") == ["[1]"])
        }
    }
}
