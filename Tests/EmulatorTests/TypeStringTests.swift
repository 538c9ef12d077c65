import Testing
@testable import KsqlDBEmulator

@Suite struct TypeStringTests {
    @Test func printsTypesAsKsqlDB() throws {
        let text = "STRUCT<`DECIMAL` DECIMAL(2, 1), `STRUCT` STRUCT<`F1` STRING, `F2` INTEGER>, `ARRAY_ARRAY` ARRAY<ARRAY<STRING>>, `ARRAY_STRUCT` ARRAY<STRUCT<`F1` STRING>>, `ARRAY_MAP` ARRAY<MAP<STRING, INTEGER>>, `MAP_ARRAY` MAP<STRING, ARRAY<STRING>>, `MAP_MAP` MAP<STRING, MAP<STRING, INTEGER>>, `MAP_STRUCT` MAP<STRING, STRUCT<`F1` STRING>>>"
        #expect(try EmulatorType(parsing: text).typeString == text)
        #expect(try EmulatorType(parsing: "struct<f1 varchar, `g` int>").typeString == "STRUCT<`F1` STRING, `g` INTEGER>")
        #expect(try EmulatorType(parsing: "STRUCT<>").typeString == "STRUCT< >")
        #expect(try EmulatorType(parsing: "decimal(4,2)").typeString == "DECIMAL(4, 2)")
    }

    @Test func rejectsBadTypes() {
        #expect(throws: EmulatorError.self) { try EmulatorType(parsing: "DECIMAL(4)") }
        #expect(throws: EmulatorError.self) { try EmulatorType(parsing: "ARRAY<FOO>") }
    }
}
