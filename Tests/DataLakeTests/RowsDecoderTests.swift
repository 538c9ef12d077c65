import Testing
@testable import DataLake
import DataLakeTestSupport
@testable import KsqlDBClient
@testable import KsqlParquet
@testable import LakeStorage

@Suite struct RowsDecoderTests {
    func decode(_ types: [KsqlType], _ line: String) throws(KsqlRowError) -> [KsqlValue] {
        let fields = types.enumerated().map { KsqlField(name: "C\($0.offset)", type: $0.element) }
        return try KsqlRowDecoder(fields: fields).decode(line: line, lineNumber: 7)
    }

    func failure(_ types: [KsqlType], _ line: String) -> KsqlRowError? {
        do {
            _ = try decode(types, line)
            return nil
        } catch {
            return error
        }
    }

    @Test func scalars() throws {
        let v = try decode([.boolean, .integer, .bigint, .double, .string, .bytes],
                           #"[true, -2147483648, 9223372036854775807, 1.0E7, "a\"\u00e9\ud83d\ude00\n", "ew=="]"#)
        #expect(v == [.boolean(true), .integer(-2147483648), .bigint(9223372036854775807), .double(1e7),
                      .string("a\"é😀\n"), .bytes([123])])
    }

    @Test func int64Extremes() throws {
        #expect(try decode([.bigint], "[-9223372036854775808]") == [.bigint(.min)])
        #expect(failure([.bigint], "[9223372036854775808]") == KsqlRowError(line: 7, column: 2, columnName: "C0", message: "number out of range for BIGINT"))
        #expect(failure([.bigint], "[1.0]")?.message == "expected an integer for BIGINT")
    }

    @Test func doublesKeepTheirTypeAndPrecision() throws {
        #expect(try decode([.double], "[328.0]") == [.double(328.0)])
        #expect(try decode([.double], "[0.1]") == [.double(0.1)])
        #expect(try decode([.double], "[1.7976931348623157E308]") == [.double(.greatestFiniteMagnitude)])
        #expect(try decode([.double], "[4.9E-324]") == [.double(.leastNonzeroMagnitude)])
        #expect(try decode([.double], "[123456789012345678901234]") == [.double(123456789012345678901234.0)])
        #expect(try decode([.double], #"["NaN"]"#).first.map { if case let .double(d) = $0 { d.isNaN } else { false } } == true)
        #expect(try decode([.double], "[-Infinity]") == [.double(-.infinity)])
    }

    @Test func decimalsAreExact() throws {
        #expect(try decode([.decimal(precision: 4, scale: 2)], "[10.0]") == [.decimal(1000, scale: 2)])
        #expect(try decode([.decimal(precision: 4, scale: 2)], "[1e+1]") == [.decimal(1000, scale: 2)])
        #expect(try decode([.decimal(precision: 4, scale: 2)], "[-0.01]") == [.decimal(-1, scale: 2)])
        #expect(try decode([.decimal(precision: 4, scale: 2)], "[1.230]") == [.decimal(123, scale: 2)])
        let big = try decode([.decimal(precision: 38, scale: 10)], "[9999999999999999999999999999.9999999999]")
        #expect(big == [.decimal(Int128("99999999999999999999999999999999999999")!, scale: 10)])
        #expect(failure([.decimal(precision: 4, scale: 2)], "[100.00]")?.message == "value does not fit DECIMAL(4, 2)")
        #expect(failure([.decimal(precision: 4, scale: 2)], "[ 1.234]") ==
                KsqlRowError(line: 7, column: 3, columnName: "C0", message: "value has more than 2 decimal places for DECIMAL(4, 2)"))
    }

    @Test func datesTimesTimestamps() throws {
        #expect(try decode([.date, .date, .date], #"["1970-01-11", "1969-12-31", "1900-01-01"]"#) == [.date(10), .date(-1), .date(-25567)])
        #expect(try decode([.time, .time, .time], #"["00:00", "00:00:10", "23:59:59.999"]"#) == [.time(0), .time(10_000), .time(86_399_999)])
        #expect(try decode([.timestamp, .timestamp], #"["1999-11-30T11:00:00.000", "1969-12-31T23:59:59.999"]"#)
                == [.timestamp(943_959_600_000), .timestamp(-1)])
        #expect(failure([.date], #"["2021-02-29"]"#)?.message == #"invalid DATE (expected "yyyy-MM-dd")"#)
        #expect(failure([.time], #"["24:00"]"#)?.column == 2)
    }

    @Test func nestedValuesAndNumericTimesInStructs() throws {
        let s: KsqlType = .struct([KsqlField(name: "TS", type: .timestamp), KsqlField(name: "D", type: .date),
                                   KsqlField(name: "MISSING", type: .string)])
        let v = try decode([.array(.integer), .map(key: .string, value: .array(.string)), s],
                           #"[[1,null,3], {"a":["x"],"b":null,"c":[]}, {"TS":943959600000,"D":-1}]"#)
        #expect(v == [
            .array([.integer(1), .null, .integer(3)]),
            .map([KsqlMapEntry(key: .string("a"), value: .array([.string("x")])),
                  KsqlMapEntry(key: .string("b"), value: .null),
                  KsqlMapEntry(key: .string("c"), value: .array([]))]),
            .struct([.timestamp(943_959_600_000), .date(-1), .null]),
        ])
    }

    @Test func nonStringMapKeysAreParsedFromTheirText() throws {
        let v = try decode([.map(key: .integer, value: .string), .map(key: .date, value: .boolean)],
                           #"[{"1":"a","-2":null}, {"1969-12-31":true}]"#)
        #expect(v == [.map([KsqlMapEntry(key: .integer(1), value: .string("a")), KsqlMapEntry(key: .integer(-2), value: .null)]),
                      .map([KsqlMapEntry(key: .date(-1), value: .boolean(true))])])
        #expect(failure([.map(key: .integer, value: .string)], #"[{"x":"a"}]"#) ==
                KsqlRowError(line: 7, column: 3, columnName: "C0", message: "expected INTEGER number"))
    }

    @Test func malformedRowsNameLineColumnAndColumnName() {
        #expect(failure([.integer, .string], #"[1]"#) ==
                KsqlRowError(line: 7, column: 3, columnName: "C1", message: "expected ',' (the header declares 2 columns)"))
        #expect(failure([.integer], #"[1,2]"#) ==
                KsqlRowError(line: 7, column: 3, columnName: nil, message: "more values than the 1 columns of the header"))
        #expect(failure([.string], #"["abc]"#) ==
                KsqlRowError(line: 7, column: 2, columnName: "C0", message: "unterminated string"))
        #expect(failure([.integer], #"["1"]"#) ==
                KsqlRowError(line: 7, column: 2, columnName: "C0", message: "expected INTEGER number"))
        #expect(failure([.bytes], #"["e!=="]"#)?.message == "invalid base64 in BYTES value")
    }

    @Test func headerLine() throws {
        let object = try KsqlInBandObject.classify(Array(#"{"queryId":"q1","columnNames":["A","B"],"columnTypes":["DECIMAL(4, 2)","STRUCT<`F1` ARRAY<STRING>>"],"x":{"y":[1]}}"#.utf8))
        guard case let .header(h)? = object else { Issue.record("not a header: \(String(describing: object))"); return }
        #expect(h.queryId == "q1")
        #expect(h.columns == [KsqlField(name: "A", type: .decimal(precision: 4, scale: 2)),
                              KsqlField(name: "B", type: .struct([KsqlField(name: "F1", type: .array(.string))]))])
        #expect(try KsqlInBandObject.classify(Array(#"{"queryId":null,"columnNames":["A"]}"#.utf8)) == .unknown)
        #expect(try KsqlInBandObject.classify(Array(#"{"@type":"generic_error","error_code":50000,"message":"boom"}"#.utf8)) == .error(code: 50000, message: "boom"))
        #expect(try KsqlInBandObject.classify(Array(#"{"consistencyToken":"abc"}"#.utf8)) == .token)
        #expect(throws: KsqlDBError.self) { try KsqlInBandObject.classify(Array(#"{"columnNames":["A"],"columnTypes":["NOPE"]}"#.utf8)) }
        #expect(try KsqlInBandObject.classify(Array("{not json".utf8)) == nil)
    }
}
