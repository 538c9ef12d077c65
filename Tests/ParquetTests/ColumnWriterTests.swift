import Testing
@testable import Parquet

@Suite struct ColumnWriterTests {
    @Test func dictionaryFallsBackToPlainPastTheLimit() throws {
        var options = ParquetWriterOptions()
        options.dictionaryPageSizeLimit = 64
        options.compression = .uncompressed
        let schema = ParquetSchema(fields: [.primitive("v", .int64)])
        let sink = ParquetMemorySink()
        let w = try ParquetWriter(schema: schema, sink: sink, options: options)
        for i in 0..<5000 {
            w.columns[0].append(Int64(i))
            try w.endRow()
        }
        let meta = try w.close()
        let col = meta.rowGroups[0].columns[0]
        #expect(col.encodings == [.rleDictionary, .plain, .rle])
        #expect(col.dictionaryPageOffset == 4)
        #expect(col.numValues == 5000)
        #expect(col.statistics == Statistics(nullCount: 0, minValue: [0, 0, 0, 0, 0, 0, 0, 0], maxValue: [0x87, 0x13, 0, 0, 0, 0, 0, 0]))
    }

    @Test func doubleStatisticsIgnoreNaNAndSignedZero() throws {
        let schema = ParquetSchema(fields: [.primitive("d", .double)])
        let sink = ParquetMemorySink()
        let w = try ParquetWriter(schema: schema, sink: sink)
        for v in [0.0, .nan, -0.0, 0.0] {
            w.columns[0].append(v)
            try w.endRow()
        }
        let meta = try w.close()
        let s = try #require(meta.rowGroups[0].columns[0].statistics)
        #expect(s.minValue == Array((-0.0).bitPattern.littleEndianBytes))
        #expect(s.maxValue == Array((0.0).bitPattern.littleEndianBytes))
    }

    @Test func decimalBytesCompareSigned() throws {
        let schema = ParquetSchema(fields: [.decimal("d", precision: 20, scale: 0)])
        #expect(schema.columns[0].typeLength == 9)
        var options = ParquetWriterOptions()
        options.dictionaryEnabled = false
        let sink = ParquetMemorySink()
        let w = try ParquetWriter(schema: schema, sink: sink, options: options)
        let minusOne: [UInt8] = Array(repeating: 0xFF, count: 9)
        let two: [UInt8] = Array(repeating: 0, count: 8) + [2]
        for v in [two, minusOne] {
            w.columns[0].append(bytes: v)
            try w.endRow()
        }
        let s = try #require(try w.close().rowGroups[0].columns[0].statistics)
        #expect(s.minValue == minusOne)
        #expect(s.maxValue == two)
    }

    @Test func zeroRowsWriteAFooterOnly() throws {
        let sink = ParquetMemorySink()
        let w = try ParquetWriter(schema: ParquetSchema(fields: [.primitive("a", .int32)]), sink: sink)
        let meta = try w.close()
        #expect(meta.rowGroups.isEmpty)
        #expect(try FooterReader.read(bytes: sink.bytes).numRows == 0)
        #expect(Array(sink.bytes.prefix(4)) == Array("PAR1".utf8))
    }
}

extension UInt64 {
    var littleEndianBytes: [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: self >> (8 * UInt64($0))) } }
}
