import Testing
@testable import DataLake
import DataLakeTestSupport
@testable import KsqlDBClient
@testable import KsqlParquet
@testable import LakeStorage

@Suite struct KsqlTypeTests {
    @Test func parsesKsqlDBsOwnColumnTypesVector() throws {
        // columnTypes vector from ksqlDB's ApiIntegrationTest (see shared notes §7).
        let vector = [
            "STRUCT<`F1` ARRAY<STRING>>", "STRING", "BIGINT", "DECIMAL(4, 2)", "BYTES", "ARRAY<STRING>",
            "MAP<STRING, STRING>", "STRUCT<`F1` INTEGER>",
            "STRUCT<`DECIMAL` DECIMAL(2, 1), `STRUCT` STRUCT<`F1` STRING, `F2` INTEGER>, `ARRAY_ARRAY` ARRAY<ARRAY<STRING>>, `ARRAY_STRUCT` ARRAY<STRUCT<`F1` STRING>>, `ARRAY_MAP` ARRAY<MAP<STRING, INTEGER>>, `MAP_ARRAY` MAP<STRING, ARRAY<STRING>>, `MAP_MAP` MAP<STRING, MAP<STRING, INTEGER>>, `MAP_STRUCT` MAP<STRING, STRUCT<`F1` STRING>>>",
            "TIMESTAMP", "DATE", "TIME", "BYTES", "STRUCT< >",
        ]
        for text in vector {
            let type = try KsqlType.parse(text)
            #expect(type.description == text, "round trip of \(text)")
        }
        #expect(try KsqlType.parse("DECIMAL(4, 2)") == .decimal(precision: 4, scale: 2))
        #expect(try KsqlType.parse("STRUCT<`a b` INTEGER>") == .struct([KsqlField(name: "a b", type: .integer)]))
    }

    @Test func acceptsAliasesAndSpacing() throws {
        #expect(try KsqlType.parse("varchar") == .string)
        #expect(try KsqlType.parse("ARRAY< INT >") == .array(.integer))
        #expect(try KsqlType.parse("STRUCT<f1 INT>") == .struct([KsqlField(name: "F1", type: .integer)]))
    }

    @Test func rejectsMalformedTypes() {
        for bad in ["", "FLOAT", "ARRAY<STRING", "DECIMAL(40, 2)", "DECIMAL(2, 3)", "MAP<STRING>", "STRING STRING", "STRUCT<`F1 STRING>"] {
            #expect(throws: KsqlTypeParseError.self, "\(bad)") { try KsqlType.parse(bad) }
        }
    }
}
