import Testing
@testable import Parquet

/// Which encodings number and text column chunks end up with: measured per chunk against PLAIN.
@Suite struct ValueEncodingChoiceTests {
    static func write(_ type: PhysicalType, rows: Int, options: ParquetWriterOptions = ParquetWriterOptions(),
                      _ append: (ColumnWriter, Int) -> Void) throws -> FileMetaData {
        let w = try ParquetWriter(schema: ParquetSchema(fields: [.primitive("v", type)]), sink: ParquetMemorySink(), options: options)
        for i in 0..<rows {
            append(w.columns[0], i)
            try w.endRow()
        }
        return try w.close()
    }

    static func options(_ change: (inout ParquetWriterOptions) -> Void) -> ParquetWriterOptions {
        var o = ParquetWriterOptions()
        change(&o)
        return o
    }

    @Test func growingTimestampsDropTheDictionaryForDeltas() throws {
        let meta = try Self.write(.int64, rows: 5000, options: Self.options { $0.rowGroupRowLimit = 2000 }) { c, i in
            c.append(Int64(1_700_000_000_000) + Int64(i) * 25 + Int64(i * 7 % 11))
        }
        for group in meta.rowGroups {
            #expect(group.columns[0].encodings == [.deltaBinaryPacked, .rle])
            #expect(group.columns[0].dictionaryPageOffset == nil)
        }
        let first = meta.rowGroups[0].columns[0]
        #expect(first.statistics?.minValue == UInt64(1_700_000_000_000).littleEndianBytes)
        let last: UInt64 = 1_700_000_000_000 + 1999 * 25 + 1999 * 7 % 11
        #expect(first.statistics?.maxValue == last.littleEndianBytes)
        // 8 bytes a value PLAIN; about 4 bits as deltas.
        #expect(first.totalCompressedSize < 2000)
    }

    @Test func growingInt32DatesAreDeltaEncoded() throws {
        let meta = try Self.write(.int32, rows: 3000) { c, i in c.append(Int32(19_000 + i)) }
        #expect(meta.rowGroups[0].columns[0].encodings == [.deltaBinaryPacked, .rle])
        #expect(meta.rowGroups[0].columns[0].statistics?.maxValue == [0xEF, 0x55, 0, 0])  // 21,999
    }

    @Test func withoutDeltasTheyStayDictionaryThenPlain() throws {
        let meta = try Self.write(.int64, rows: 5000, options: Self.options { $0.rowGroupRowLimit = 2000; $0.deltaBinaryPackedEnabled = false }) { c, i in
            c.append(Int64(1_700_000_000_000) + Int64(i) * 25)
        }
        #expect(meta.rowGroups.map { $0.columns[0].encodings } == [[.rleDictionary, .plain, .rle], [.plain, .rle], [.plain, .rle]])
    }

    @Test func fewDistinctIntsKeepTheDictionary() throws {
        let meta = try Self.write(.int64, rows: 5000) { c, i in c.append(Int64(i % 7) * 1_000_000_007) }
        #expect(meta.rowGroups[0].columns[0].encodings == [.rleDictionary, .plain, .rle])
    }

    @Test func randomIntsArePlain() throws {
        var rng = SystemRandomNumberGenerator()
        let meta = try Self.write(.int64, rows: 5000, options: Self.options { $0.rowGroupRowLimit = 2000 }) { c, _ in
            c.append(Int64.random(in: .min ... .max, using: &rng))
        }
        // Deltas of random 64-bit values need 64 bits: the dictionary fails, then PLAIN is smaller.
        #expect(meta.rowGroups.map { $0.columns[0].encodings } == [[.rleDictionary, .plain, .rle], [.plain, .rle], [.plain, .rle]])
    }

    @Test func dictionaryOverflowFallsBackToDeltas() throws {
        let meta = try Self.write(.int64, rows: 5000, options: Self.options { $0.dictionaryPageSizeLimit = 64 }) { c, i in
            c.append(Int64(i))
        }
        #expect(meta.rowGroups[0].columns[0].encodings == [.rleDictionary, .plain, .deltaBinaryPacked, .rle])
    }

    @Test(arguments: [Compression.snappy, .zstd])
    func doublesSharingTheirHighBytesAreSplit(codec: Compression) throws {
        var rng = SystemRandomNumberGenerator()
        let o = Self.options { $0.compression = codec; $0.dictionaryEnabled = false }
        let meta = try Self.write(.double, rows: 5000, options: o) { c, _ in c.append(Double.random(in: 1..<2, using: &rng)) }
        #expect(meta.rowGroups[0].columns[0].encodings == [.byteStreamSplit, .rle])
    }

    @Test func splittingIsOffWithoutACodecOrWhenDisabled() throws {
        var rng = SystemRandomNumberGenerator()
        for o in [Self.options { $0.compression = .uncompressed; $0.dictionaryEnabled = false },
                  Self.options { $0.byteStreamSplitEnabled = false; $0.dictionaryEnabled = false }] {
            let meta = try Self.write(.double, rows: 3000, options: o) { c, _ in c.append(Double.random(in: 1..<2, using: &rng)) }
            #expect(meta.rowGroups[0].columns[0].encodings == [.plain, .rle])
        }
    }

    @Test func repeatedDoublesKeepTheDictionary() throws {
        let meta = try Self.write(.double, rows: 5000) { c, i in c.append(Double(i % 50) / 4) }
        #expect(meta.rowGroups[0].columns[0].encodings == [.rleDictionary, .plain, .rle])
    }

    static func id(_ i: Int) -> [UInt8] {
        let digits = String(i)
        return Array("tx-\(String(repeating: "0", count: 9 - digits.count))\(digits)".utf8)
    }

    @Test func uniqueIdsAreDeltaByteArrays() throws {
        let o = Self.options { $0.rowGroupRowLimit = 2000 }
        let meta = try Self.write(.byteArray, rows: 5000, options: o) { c, i in c.append(bytes: Self.id(i)) }
        let plain = try Self.write(.byteArray, rows: 5000, options: Self.options { $0.rowGroupRowLimit = 2000; $0.deltaByteArrayEnabled = false }) { c, i in
            c.append(bytes: Self.id(i))
        }
        for (group, plainGroup) in zip(meta.rowGroups, plain.rowGroups) {
            #expect(group.columns[0].encodings == [.deltaByteArray, .rle])
            #expect(group.columns[0].dictionaryPageOffset == nil)
            #expect(plainGroup.columns[0].encodings == [.plain, .rle])
            #expect(group.columns[0].statistics == plainGroup.columns[0].statistics)
            // 16 bytes a value PLAIN (before snappy); the last digit or two, and a few bits, as deltas.
            #expect(group.columns[0].totalCompressedSize * 3 < plainGroup.columns[0].totalCompressedSize)
        }
        #expect(meta.rowGroups[1].columns[0].statistics?.minValue == Self.id(2000))
        #expect(meta.rowGroups[1].columns[0].statistics?.maxValue == Self.id(3999))
    }

    @Test func textDictionaryOverflowFallsBackToDeltaByteArrays() throws {
        // Each value twice: the dictionary is kept at first, then outgrows its limit.
        let meta = try Self.write(.byteArray, rows: 5000, options: Self.options { $0.dictionaryPageSizeLimit = 4096 }) { c, i in
            c.append(bytes: Self.id(i / 2))
        }
        #expect(meta.rowGroups[0].columns[0].encodings == [.rleDictionary, .plain, .deltaByteArray, .rle])
        #expect(meta.rowGroups[0].columns[0].statistics?.minValue == Self.id(0))
        #expect(meta.rowGroups[0].columns[0].statistics?.maxValue == Self.id(2499))
    }

    @Test func repeatedTextKeepsTheDictionary() throws {
        let cities = ["Paris", "Lyon", "Nice", "Lille"]
        let meta = try Self.write(.byteArray, rows: 5000) { c, i in c.append(bytes: Array(cities[i % 4].utf8)) }
        #expect(meta.rowGroups[0].columns[0].encodings == [.rleDictionary, .plain, .rle])
    }

    @Test func allNullPagesStillWrite() throws {
        let meta = try Self.write(.int64, rows: 3000, options: Self.options { $0.dictionaryEnabled = false }) { c, _ in
            c.appendNull(definitionLevel: 0)
        }
        #expect(meta.rowGroups[0].columns[0].numValues == 3000)
        #expect(meta.rowGroups[0].columns[0].statistics?.nullCount == 3000)
    }

    /// Two clear wins in a row settle the encoding: the next chunks take it unmeasured, until every
    /// 16th measures again; a narrow margin or a change of winner unsettles it.
    @Test func twoClearWinsSettleTheChoiceUntilTheNextMeasurement() {
        var choice = ValueEncodingChoice(descriptor: ColumnDescriptor(path: ["v"], physicalType: .int64, typeLength: nil, logicalType: nil,
                                                                       maxDefinitionLevel: 1, maxRepetitionLevel: 0),
                                         options: ParquetWriterOptions())
        #expect(choice.next == nil)
        choice.measured(.deltaBinaryPacked, winnerSize: 100, loserSize: 1000)
        choice.startChunk()
        #expect(choice.next == nil, "one clear win is not enough")
        choice.measured(.deltaBinaryPacked, winnerSize: 100, loserSize: 1000)
        for k in 1..<ValueEncodingChoice.remeasureEvery {
            choice.startChunk()
            #expect(choice.next == .deltaBinaryPacked, "chunk \(k) after the measurement")
        }
        choice.startChunk()
        #expect(choice.next == nil, "measured again")
        choice.measured(.deltaBinaryPacked, winnerSize: 90, loserSize: 100)
        choice.startChunk()
        #expect(choice.next == nil, "a tenth smaller is not a clear margin")
        choice.measured(.deltaBinaryPacked, winnerSize: 10, loserSize: 100)
        choice.startChunk()
        choice.measured(.plain, winnerSize: 10, loserSize: 100)
        choice.startChunk()
        #expect(choice.next == nil, "a new winner starts counting again")
    }

    /// Data that changes character after a settled choice gets the better encoding again within 16
    /// chunks: growing values (deltas win), then four wide values in a random order (PLAIN wins: the
    /// codec finds each value's 8 bytes again, while the deltas take 63 bits each and repeat nothing).
    @Test func aSettledChoiceFollowsTheDataWithinSixteenChunks() throws {
        let o = Self.options { $0.rowGroupRowLimit = 512; $0.dictionaryEnabled = false }
        let wide: [Int64] = [0x1234_5678_9ABC_DEF, 0x3FED_CBA9_8765_4321, 0x2468_ACE0_1357_9BDF, 0x0F0E_0D0C_0B0A_0908]
        var state: UInt64 = 7
        let groups = 60
        let meta = try Self.write(.int64, rows: 512 * groups, options: o) { c, i in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            c.append(i < 512 * 20 ? Int64(i) * 3 : wide[Int(state >> 62)])
        }
        let encodings = meta.rowGroups.map { $0.columns[0].encodings }
        #expect(encodings[0..<20].allSatisfy { $0 == [.deltaBinaryPacked, .rle] })
        #expect(encodings[(20 + ValueEncodingChoice.remeasureEvery)...].allSatisfy { $0 == [.plain, .rle] }, "\(encodings)")
    }
}
