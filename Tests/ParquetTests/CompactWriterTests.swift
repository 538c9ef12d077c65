import Testing
@testable import Parquet

@Suite struct CompactWriterTests {
    @Test func varintsAndZigZag() {
        var w = CompactWriter()
        w.writeVarint(0)
        w.writeVarint(127)
        w.writeVarint(128)
        w.writeVarint(300)
        #expect(w.bytes == [0x00, 0x7F, 0x80, 0x01, 0xAC, 0x02])
        var z = CompactWriter()
        for v: Int64 in [0, -1, 1, -2, 2147483647, -2147483648] { z.writeZigZag(v) }
        #expect(z.bytes == [0x00, 0x01, 0x02, 0x03, 0xFE, 0xFF, 0xFF, 0xFF, 0x0F, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F])
    }
}
