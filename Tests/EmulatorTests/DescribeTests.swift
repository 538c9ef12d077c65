import Testing
@testable import KsqlDBEmulator

@Suite struct DescribeTests {
    @Test func describeBodyIsKsqlDBsSourceDescription() async throws {
        try await EmulatorFixture.with(setup: { store in
            store.addTable(EmulatorSourceSchema(name: "T", kind: .table, columns: [
                EmulatorColumn("K", .string, isKey: true),
                EmulatorColumn("D", .decimal(precision: 4, scale: 2)),
                EmulatorColumn("S", .structure([EmulatorField("a", .array(.double))])),
                EmulatorColumn("M", .map(key: .string, value: .integer)),
            ], topic: "t_topic", statement: "CREATE TABLE T (...);"), rows: [])
        }) { port, _ in
            let response = try RawHTTP.request(port: port, path: "/ksql", body: #"{"ksql":"DESCRIBE t;"}"#)
            #expect(response.status == 200)
            let nothing = #""fields":null,"memberSchema":null"#
            #expect(response.body == """
                [{"@type":"sourceDescription","statementText":"DESCRIBE t;","sourceDescription":{"name":"T","windowType":null,\
                "readQueries":[],"writeQueries":[],"fields":[\
                {"name":"K","schema":{"type":"STRING",\(nothing)},"type":"KEY"},\
                {"name":"D","schema":{"type":"DECIMAL",\(nothing),"parameters":{"precision":4,"scale":2}}},\
                {"name":"S","schema":{"type":"STRUCT","fields":[{"name":"a","schema":{"type":"ARRAY","fields":null,"memberSchema":{"type":"DOUBLE",\(nothing)}}}],"memberSchema":null}},\
                {"name":"M","schema":{"type":"MAP","fields":null,"memberSchema":{"type":"INTEGER",\(nothing)}}}],\
                "type":"TABLE","timestamp":"","statistics":"","errorStats":"","extended":false,"keyFormat":"KAFKA","valueFormat":"JSON",\
                "topic":"t_topic","partitions":1,"replication":1,"statement":"CREATE TABLE T (...);","queryOffsetSummaries":[],\
                "sourceConstraints":[],"clusterStatistics":[],"clusterErrorStats":[]},"warnings":[]}]
                """)
        }
    }

    @Test func listExtendedAndDescribeAll() async throws {
        try await EmulatorFixture.with(setup: EmulatorFixture.allTypesStore) { port, _ in
            let extended = try RawHTTP.request(port: port, path: "/ksql", body: #"{"ksql":"LIST TABLES EXTENDED; DESCRIBE STREAMS EXTENDED;"}"#)
            #expect(extended.body.hasPrefix(#"[{"@type":"source_descriptions","statementText":"LIST TABLES EXTENDED;","sourceDescriptions":[{"name":"COUNTS","#))
            #expect(extended.body.contains(#""statementText":"DESCRIBE STREAMS EXTENDED;","sourceDescriptions":[{"name":"ALL_TYPES","#))
            #expect(extended.body.contains(#""statistics":"The statistics field is deprecated"#))
            let keyless = try RawHTTP.request(port: port, path: "/ksql", body: #"{"ksql":"SHOW STREAMS;"}"#)
            #expect(keyless.body == #"[{"@type":"streams","statementText":"SHOW STREAMS;","streams":[{"type":"STREAM","name":"ALL_TYPES","topic":"all_types","keyFormat":"KAFKA","valueFormat":"JSON","isWindowed":false}],"warnings":[]}]"#)
        }
    }
}
