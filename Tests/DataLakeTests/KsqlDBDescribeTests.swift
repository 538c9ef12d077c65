import Foundation
import Testing
@testable import DataLake
import DataLakeTestSupport
@testable import KsqlDBClient
@testable import KsqlParquet
@testable import LakeStorage

/// DESCRIBE bodies (shared notes §3) map to typed source descriptions.
@Suite struct KsqlDBDescribeTests {
    static func describe(_ json: String) throws -> KsqlSourceDescription {
        let entities = try JSONDecoder().decode([KsqlWire.Entity].self, from: Data(json.utf8))
        return try KsqlSourceDescription(wire: try #require(entities.first?.sourceDescription))
    }

    static func schema(_ type: String, fields: String = "null", member: String = "null", extra: String = "") -> String {
        #"{"type":"\#(type)","fields":\#(fields),"memberSchema":\#(member)\#(extra)}"#
    }

    @Test func mapsEveryTypeRoleAndFormat() throws {
        let string = Self.schema("STRING")
        let json = """
        [{"@type":"sourceDescription","statementText":"DESCRIBE T;","sourceDescription":{
          "name":"TRANSACTIONS","windowType":null,"readQueries":[],"writeQueries":[],
          "fields":[
            {"name":"ROWKEY","schema":\(string),"type":"KEY"},
            {"name":"AMOUNT","schema":\(Self.schema("DECIMAL", extra: #","parameters":{"precision":10,"scale":2}"#))},
            {"name":"TAGS","schema":\(Self.schema("ARRAY", member: string))},
            {"name":"ATTRS","schema":\(Self.schema("MAP", member: Self.schema("BIGINT")))},
            {"name":"f_7","schema":\(Self.schema("STRUCT", fields: #"[{"name":"a","schema":\#(Self.schema("DOUBLE"))},{"name":"B","schema":\#(Self.schema("ARRAY", member: Self.schema("STRUCT", fields: "[]")))}]"#))},
            {"name":"OK","schema":\(Self.schema("BOOLEAN"))},
            {"name":"N","schema":\(Self.schema("INTEGER"))},
            {"name":"D","schema":\(Self.schema("DATE"))},
            {"name":"T","schema":\(Self.schema("TIME"))},
            {"name":"TS","schema":\(Self.schema("TIMESTAMP"))},
            {"name":"RAW","schema":\(Self.schema("BYTES"))},
            {"name":"HEAD","schema":\(Self.schema("ARRAY", member: Self.schema("STRUCT", fields: #"[{"name":"KEY","schema":\#(string)},{"name":"VALUE","schema":\#(Self.schema("BYTES"))}]"#))),"type":"HEADER"}
          ],
          "type":"STREAM","timestamp":"TS","statistics":"","errorStats":"","extended":false,
          "keyFormat":"KAFKA","valueFormat":"JSON","topic":"transactions","partitions":3,"replication":1,
          "statement":"CREATE STREAM …","queryOffsetSummaries":[],"sourceConstraints":[]},"warnings":[]}]
        """
        let description = try Self.describe(json)
        #expect(description == KsqlSourceDescription(
            name: "TRANSACTIONS", kind: .stream, topic: "transactions", keyFormat: "KAFKA", valueFormat: "JSON",
            windowType: nil, timestampColumn: "TS", columns: [
                KsqlColumn(name: "ROWKEY", type: .string, role: .key),
                KsqlColumn(name: "AMOUNT", type: .decimal(precision: 10, scale: 2), role: .value),
                KsqlColumn(name: "TAGS", type: .array(.string), role: .value),
                KsqlColumn(name: "ATTRS", type: .map(key: .string, value: .bigint), role: .value),
                KsqlColumn(name: "f_7", type: .struct([
                    KsqlField(name: "a", type: .double), KsqlField(name: "B", type: .array(.struct([]))),
                ]), role: .value),
                KsqlColumn(name: "OK", type: .boolean, role: .value),
                KsqlColumn(name: "N", type: .integer, role: .value),
                KsqlColumn(name: "D", type: .date, role: .value),
                KsqlColumn(name: "T", type: .time, role: .value),
                KsqlColumn(name: "TS", type: .timestamp, role: .value),
                KsqlColumn(name: "RAW", type: .bytes, role: .value),
                KsqlColumn(name: "HEAD", type: .array(.struct([
                    KsqlField(name: "KEY", type: .string), KsqlField(name: "VALUE", type: .bytes),
                ])), role: .header),
            ]))
        #expect(description.keyColumns.map(\.name) == ["ROWKEY"])
        #expect(!description.isWindowed)
    }

    @Test func windowedTableWithEmptyTimestamp() throws {
        let json = """
        [{"@type":"sourceDescription","sourceDescription":{"name":"COUNTS","windowType":"TUMBLING",
          "fields":[{"name":"USERID","schema":\(Self.schema("STRING")),"type":"KEY"},{"name":"C","schema":\(Self.schema("BIGINT"))}],
          "type":"TABLE","timestamp":"","keyFormat":"KAFKA","valueFormat":"AVRO","topic":"counts"}}]
        """
        let description = try Self.describe(json)
        #expect(description.kind == .table)
        #expect(description.windowType == "TUMBLING")
        #expect(description.isWindowed)
        #expect(description.timestampColumn == nil)
        #expect(description.valueFormat == "AVRO")
    }

    @Test func rejectsSchemasKsqlDBWouldNotSend() {
        let decimal = """
        [{"@type":"sourceDescription","sourceDescription":{"name":"X","fields":[{"name":"A","schema":\(Self.schema("DECIMAL"))}],"type":"STREAM"}}]
        """
        #expect(throws: KsqlDBError(.malformed, "ksqlDB described column A as DECIMAL without precision and scale")) {
            try Self.describe(decimal)
        }
        let array = """
        [{"@type":"sourceDescription","sourceDescription":{"name":"X","fields":[{"name":"S","schema":\(Self.schema("STRUCT", fields: #"[{"name":"L","schema":\#(Self.schema("ARRAY"))}]"#))}],"type":"STREAM"}}]
        """
        #expect(throws: KsqlDBError(.malformed, "ksqlDB described column S.L as ARRAY without its member type")) {
            try Self.describe(array)
        }
        let kind = """
        [{"@type":"sourceDescription","sourceDescription":{"name":"X","fields":[],"type":"VIEW"}}]
        """
        #expect(throws: KsqlDBError(.malformed, "ksqlDB described X as VIEW, neither a STREAM nor a TABLE")) {
            try Self.describe(kind)
        }
    }
}
