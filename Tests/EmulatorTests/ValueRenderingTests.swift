import Testing
@testable import KsqlDBEmulator

@Suite struct ValueRenderingTests {
    @Test(arguments: [
        (3.0, "3.0"), (37.7877, "37.7877"), (1e7, "1.0E7"), (9_999_999.5, "9999999.5"), (0.001, "0.001"), (0.0001, "1.0E-4"),
        (-1.5e-5, "-1.5E-5"), (123_456_789.125, "1.23456789125E8"), (0, "0.0"), (1e21, "1.0E21"), (100, "100.0"),
    ])
    func javaDoubles(value: Double, text: String) {
        #expect(javaDoubleString(value) == text)
    }

    @Test func decimalsKeepTheirScale() {
        func render(_ unscaled: Int64, _ scale: Int) -> String {
            var bytes: [UInt8] = []
            bytes.writeDecimal(unscaled: unscaled, scale: scale)
            return String(decoding: bytes, as: UTF8.self)
        }
        #expect(render(1000, 2) == "10.00")
        #expect(render(-5, 2) == "-0.05")
        #expect(render(111, 2) == "1.11")
        #expect(render(10, 0) == "10")
        #expect(render(1, 4) == "0.0001")
        #expect(EmulatorDecimal.rescale(unscaled: 125, from: 2, to: 1) == (13, 1))
        #expect(EmulatorDecimal.rescale(unscaled: -125, from: 2, to: 1) == (-13, 1))
    }

    @Test func temporalTexts() {
        func render(_ value: Int64, _ type: EmulatorType) -> String {
            var bytes: [UInt8] = []
            bytes.writeValue(.int(value), type: type, insideStruct: false)
            return String(decoding: bytes, as: UTF8.self)
        }
        #expect(render(943_959_600_000, .timestamp) == #""1999-11-30T11:00:00.000""#)
        #expect(render(-1, .timestamp) == #""1969-12-31T23:59:59.999""#)
        #expect(render(864_000_000 / 86_400_000, .date) == #""1970-01-11""#)
        #expect(render(10_500, .time) == #""00:00:10""#)
        #expect(render(0, .time) == #""00:00""#)
        #expect(render(45_000_000, .time) == #""12:30""#)
        #expect(EmulatorCalendar.parseTimestamp("2024-02-29T23:59:59.5") == 1_709_251_199_500)
        #expect(EmulatorCalendar.parseTimestamp("2024-02-29T23:59") == 1_709_251_140_000)
        #expect(EmulatorCalendar.parseTimestamp("2024-13-01") == nil)
        #expect(EmulatorCalendar.parseTimestamp("2024-01-01T01:00:00+01:00") == 1_704_067_200_000)
        #expect(EmulatorCalendar.parseTimestamp("2024-01-01T00:00:00.000-0130") == 1_704_072_600_000)
        #expect(EmulatorCalendar.parseTimestamp("2024-01-01T00:00:00Z") == 1_704_067_200_000)
        #expect(EmulatorCalendar.parseTimestamp("2024-01-01T00:00:00+1") == nil)
    }

    @Test func bytesAndStrings() {
        var bytes: [UInt8] = []
        bytes.writeBase64([123])
        bytes.writeBase64([1, 2])
        bytes.writeBase64([1, 2, 3])
        bytes.writeJSONString("tab\there \u{1} é \\ \"q\"")
        #expect(String(decoding: bytes, as: UTF8.self) == #"ew==AQI=AQID"tab\there \u0001 é \\ \"q\"""#)
        #expect(EmulatorBase64.decode("AQID") == [1, 2, 3])
    }
}
