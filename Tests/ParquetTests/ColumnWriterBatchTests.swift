import Testing
@testable import Parquet

/// Batch appends (`append(_:present:)`, `append(bytes:start:ends:present:)`) against the same rows
/// appended value by value: the files must be byte for byte the same, through dictionary fallbacks,
/// page cuts and row group ends in the middle of a batch.
@Suite struct ColumnWriterBatchTests {
    /// One column's rows: nil is a null.
    enum Rows {
        case ints([Int64?])
        case doubles([Double?])
        case bytes([[UInt8]?])
    }

    static let schema = ParquetSchema(fields: [
        .primitive("i64", .int64),
        .primitive("i32", .int32),
        .primitive("required", .int64, repetition: .required),
        .primitive("d", .double),
        .primitive("s", .byteArray, logicalType: .string),
        .primitive("fixed", .fixedLenByteArray, typeLength: 3),
    ])

    /// Deterministic rows with nulls, repeats (dictionaries) and, past `distinctFrom`, distinct
    /// values (so that dictionaries pass a small limit and fall back to PLAIN mid-chunk).
    static func rows(_ n: Int, distinctFrom: Int) -> [Rows] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        func pick(_ i: Int, _ small: UInt64) -> UInt64 { i < distinctFrom ? next() % small : next() }
        var i64: [Int64?] = [], i32: [Int64?] = [], req: [Int64?] = [], d: [Double?] = []
        var s: [[UInt8]?] = [], fixed: [[UInt8]?] = []
        for i in 0..<n {
            i64.append(next() % 7 == 0 ? nil : Int64(bitPattern: pick(i, 50)) - 25)
            i32.append(next() % 5 == 0 ? nil : Int64(Int32(truncatingIfNeeded: pick(i, 30))))
            req.append(Int64(i) * 1000 + Int64(next() % 10))
            d.append(next() % 9 == 0 ? nil : Double(pick(i, 40)) / 4)
            // Lengths 0 to 20, so short and long values both go through the dictionary's hash.
            let text = i < distinctFrom ? "v\(next() % 60)" : "value-\(next())-\(String(repeating: "x", count: Int(next() % 12)))"
            s.append(next() % 6 == 0 ? nil : Array(text.utf8))
            let f = pick(i, 20)
            fixed.append(next() % 8 == 0 ? nil : [UInt8(truncatingIfNeeded: f), UInt8(truncatingIfNeeded: f >> 8), UInt8(truncatingIfNeeded: f >> 16)])
        }
        return [.ints(i64), .ints(i32), .ints(req), .doubles(d), .bytes(s), .bytes(fixed)]
    }

    static func oneByOne(_ columns: [Rows], options: ParquetWriterOptions) throws -> [UInt8] {
        let sink = ParquetMemorySink()
        let w = try ParquetWriter(schema: schema, sink: sink, options: options)
        let n = rowCount(columns)
        for r in 0..<n {
            for (c, rows) in columns.enumerated() {
                let col = w.columns[c]
                switch rows {
                case let .ints(v):
                    if let x = v[r] {
                        if col.descriptor.physicalType == .int32 { col.append(Int32(truncatingIfNeeded: x)) } else { col.append(x) }
                    } else { col.appendNull(definitionLevel: 0) }
                case let .doubles(v): if let x = v[r] { col.append(x) } else { col.appendNull(definitionLevel: 0) }
                case let .bytes(v): if let x = v[r] { col.append(bytes: x) } else { col.appendNull(definitionLevel: 0) }
                }
            }
            try w.endRow()
        }
        _ = try w.close()
        return sink.bytes
    }

    /// The same rows in batches of `batch` rows, cut further where a row group ends (as
    /// `FlatBatchEncoder` cuts them).
    static func inBatches(_ columns: [Rows], batch: Int, options: ParquetWriterOptions) throws -> [UInt8] {
        let sink = ParquetMemorySink()
        let w = try ParquetWriter(schema: schema, sink: sink, options: options)
        let n = rowCount(columns)
        var start = 0
        while start < n {
            let k = min(batch, n - start, w.rowsLeftInGroup)
            let rows = start..<(start + k)
            for (c, column) in columns.enumerated() {
                let col = w.columns[c]
                switch column {
                case let .ints(v):
                    let present = rows.map { v[$0] != nil }, values = rows.compactMap { v[$0] }
                    let took = values.withUnsafeBufferPointer { vp in present.withUnsafeBufferPointer { col.append(vp, present: $0) } }
                    #expect(took == values.count)
                case let .doubles(v):
                    let present = rows.map { v[$0] != nil }, values = rows.compactMap { v[$0] }
                    let took = values.withUnsafeBufferPointer { vp in present.withUnsafeBufferPointer { col.append(vp, present: $0) } }
                    #expect(took == values.count)
                case let .bytes(v):
                    let present = rows.map { v[$0] != nil }
                    // Values after a 5-byte prefix that is not theirs, so that `start` is used.
                    var arena: [UInt8] = [9, 9, 9, 9, 9], ends: [Int] = []
                    for x in rows.compactMap({ v[$0] }) {
                        arena += x
                        ends.append(arena.count)
                    }
                    let took = arena.withUnsafeBytes { a in
                        ends.withUnsafeBufferPointer { e in present.withUnsafeBufferPointer { col.append(bytes: a, start: 5, ends: e, present: $0) } }
                    }
                    #expect(took == ends.count)
                }
            }
            try w.endRows(k)
            start += k
        }
        _ = try w.close()
        return sink.bytes
    }

    static func rowCount(_ columns: [Rows]) -> Int {
        switch columns[0] {
        case let .ints(v): return v.count
        case let .doubles(v): return v.count
        case let .bytes(v): return v.count
        }
    }

    @Test(arguments: [
        // (rows, distinct from, batch rows, row group rows, dictionary limit, page size)
        (5000, 5000, 8192, 1 << 20, 1 << 20, 1 << 20),
        (5000, 5000, 777, 1 << 20, 1 << 20, 1 << 20),
        (6000, 2500, 1000, 4096, 256, 1 << 20),
        (6000, 0, 333, 1500, 1 << 20, 2048),
        (3000, 1200, 1, 1000, 300, 4096),
    ])
    func batchesWriteTheSameFileAsValues(_ c: (Int, Int, Int, Int, Int, Int)) throws {
        var options = ParquetWriterOptions()
        options.rowGroupRowLimit = c.3
        options.dictionaryPageSizeLimit = c.4
        options.dataPageSize = c.5
        let columns = Self.rows(c.0, distinctFrom: c.1)
        let expected = try Self.oneByOne(columns, options: options)
        let got = try Self.inBatches(columns, batch: c.2, options: options)
        #expect(got.count == expected.count)
        #expect(got == expected)
    }

    @Test func aValueOutsideItsBytesIsRefused() async {
        await #expect(processExitsWith: .failure) {
            let w = try ParquetWriter(schema: ColumnWriterBatchTests.schema, sink: ParquetMemorySink())
            let arena: [UInt8] = [1, 2, 3]
            let ends = [2, 9]
            let present = [true, true]
            arena.withUnsafeBytes { a in
                ends.withUnsafeBufferPointer { e in present.withUnsafeBufferPointer { _ = w.columns[4].append(bytes: a, start: 0, ends: e, present: $0) } }
            }
        }
    }
}
