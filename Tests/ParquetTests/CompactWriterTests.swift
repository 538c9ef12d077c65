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

@Suite struct CompactStructTests {
    @Test func fieldHeadersShortAndLong() {
        var w = CompactWriter()
        w.beginStruct()
        w.field(1, i32: 3)          // delta 1, type i32 (5): 0x15, zigzag 6
        w.field(4, string: "ab")    // delta 3, binary (8): 0x38, len 2
        w.field(20, i64: 1)         // delta 16 > 15: type byte 0x06 then zigzag id 40
        w.field(21, bool: true)     // delta 1, BOOLEAN_TRUE: 0x11
        w.endStruct()
        #expect(w.bytes == [0x15, 0x06, 0x38, 0x02, 0x61, 0x62, 0x06, 0x28, 0x02, 0x11, 0x00])
    }

    @Test func listHeaders() {
        var w = CompactWriter()
        w.listHeader(3, .i32)
        w.listHeader(16, .struct)
        #expect(w.bytes == [0x35, 0xFC, 0x10])
    }

    @Test func nestedStructRestartsFieldIDs() {
        var w = CompactWriter()
        w.beginStruct()
        w.field(5) { w in w.field(1, i32: 1) }
        w.field(6, i32: 0)
        w.endStruct()
        #expect(w.bytes == [0x5C, 0x15, 0x02, 0x00, 0x15, 0x00, 0x00])
    }

    @Test func readerSkipsAndReads() throws {
        var w = CompactWriter()
        w.beginStruct()
        w.field(1, i32: -7)
        w.field(2, stringList: ["x", "yz"])
        w.field(3) { w in w.field(1, i64: 99) }
        w.field(4, string: "end")
        w.endStruct()
        var r = CompactReader(w.bytes)
        var seen: [Int16] = []
        var last = ""
        var first: Int32 = 0
        try r.readStruct { (r: inout CompactReader, id: Int16, t: UInt8) throws(CompactReader.Malformed) in
            seen.append(id)
            if id == 1 { first = try r.readI32() } else if id == 4 { last = try r.readString() } else { try r.skip(t) }
        }
        #expect(seen == [1, 2, 3, 4])
        #expect(first == -7)
        #expect(last == "end")
        #expect(r.pos == w.bytes.count)
    }
}
