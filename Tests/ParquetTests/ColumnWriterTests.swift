import Testing
@testable import Parquet

@Suite struct ColumnWriterTests {
    @Test func dictionaryFallsBackToPlainPastTheLimit() throws {
        var options = ParquetWriterOptions()
        options.dictionaryPageSizeLimit = 64
        options.compression = .uncompressed
        options.deltaBinaryPackedEnabled = false  // ValueEncodingChoiceTests: the fallback to deltas
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

    /// Writes `rows` rows of (Int64, string) through `value(i)` and returns the footer.
    static func writeColumns(rows: Int, rowGroupRows: Int = 1 << 20, _ value: (Int) -> (Int64, String)) throws -> FileMetaData {
        var options = ParquetWriterOptions()
        options.rowGroupRowLimit = rowGroupRows
        let schema = ParquetSchema(fields: [.primitive("n", .int64), .primitive("s", .byteArray, logicalType: .string)])
        let w = try ParquetWriter(schema: schema, sink: ParquetMemorySink(), options: options)
        for i in 0..<rows {
            let (n, s) = value(i)
            w.columns[0].append(n)
            w.columns[1].append(bytes: Array(s.utf8))
            try w.endRow()
        }
        return try w.close()
    }

    @Test func uniqueValuesDropTheDictionary() throws {
        let meta = try Self.writeColumns(rows: 5000, rowGroupRows: 2000) { i in (Int64(4999 - i), "tx-\(100_000 + i)") }
        #expect(meta.rowGroups.count == 3)
        for group in meta.rowGroups {
            // Numbers: the first 1024 are all distinct and one apart, so deltas from then on.
            #expect(group.columns[0].encodings == [.deltaBinaryPacked, .rle])
            #expect(group.columns[0].dictionaryPageOffset == nil)
            // Text: 1024 distinct values first, so no dictionary in any chunk; the ids share their
            // prefixes, so DELTA_BYTE_ARRAY (ValueEncodingChoiceTests).
            #expect(group.columns[1].encodings == [.deltaByteArray, .rle])
            #expect(group.columns[1].dictionaryPageOffset == nil)
        }
        #expect(meta.rowGroups[0].columns[1].statistics?.minValue == Array("tx-100000".utf8))
        #expect(meta.rowGroups[0].columns[1].statistics?.maxValue == Array("tx-101999".utf8))
        let second = meta.rowGroups[1].columns
        #expect(second[0].statistics?.minValue == UInt64(1000).littleEndianBytes)
        #expect(second[0].statistics?.maxValue == UInt64(2999).littleEndianBytes)
        #expect(second[1].statistics?.minValue == Array("tx-102000".utf8))
        #expect(second[1].statistics?.maxValue == Array("tx-103999".utf8))
    }

    @Test func repeatedValuesKeepTheDictionary() throws {
        let cities = ["Paris", "Lyon", "Nice", "Lille"]
        let meta = try Self.writeColumns(rows: 5000) { i in (Int64(i % 7), cities[i % 4]) }
        for col in meta.rowGroups[0].columns {
            #expect(col.encodings == [.rleDictionary, .plain, .rle])
            #expect(col.dictionaryPageOffset != nil)
        }
        #expect(meta.rowGroups[0].columns[1].statistics?.minValue == Array("Lille".utf8))
        #expect(meta.rowGroups[0].columns[1].statistics?.maxValue == Array("Paris".utf8))
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
