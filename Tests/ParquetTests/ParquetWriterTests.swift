import Foundation
import Testing
@testable import Parquet

@Suite struct ParquetWriterTests {
    static let schema = ParquetSchema(fields: [
        .primitive("id", .int64, logicalType: .integer(bits: 64, signed: true)),
        .primitive("name", .byteArray, logicalType: .string),
        .list("tags", element: .primitive("element", .byteArray, logicalType: .string)),
    ])

    /// Writes rows (id, name, tags) and returns the file bytes.
    static func write(_ rows: [(Int64?, String?, [String?]?)], options: ParquetWriterOptions = ParquetWriterOptions()) throws -> [UInt8] {
        let sink = ParquetMemorySink()
        let w = try ParquetWriter(schema: schema, sink: sink, options: options, keyValueMetadata: [(key: "k", value: "v")])
        for (id, name, tags) in rows {
            if let id { w.columns[0].append(id) } else { w.columns[0].appendNull(definitionLevel: 0) }
            if let name { w.columns[1].append(bytes: Array(name.utf8)) } else { w.columns[1].appendNull(definitionLevel: 0) }
            if let tags {
                if tags.isEmpty { w.columns[2].appendNull(definitionLevel: 1) }
                for (i, t) in tags.enumerated() {
                    if let t { w.columns[2].append(bytes: Array(t.utf8), repetitionLevel: i == 0 ? 0 : 1) }
                    else { w.columns[2].appendNull(definitionLevel: 2, repetitionLevel: i == 0 ? 0 : 1) }
                }
            } else {
                w.columns[2].appendNull(definitionLevel: 0)
            }
            try w.endRow()
        }
        try w.close()
        return sink.bytes
    }

    @Test func footerRoundTrip() throws {
        let bytes = try Self.write([(1, "a", nil), (nil, "b", []), (-5, nil, ["x", nil]), (7, "a", ["y"])])
        let meta = try FooterReader.read(bytes: bytes)
        #expect(meta.numRows == 4)
        #expect(meta.rowGroups.count == 1)
        #expect(meta.createdBy == "datalake version 0.1.0")
        #expect(meta.keyValueMetadata.map(\.key) == ["k"])
        #expect(meta.schema.map(\.name) == ["schema", "id", "name", "tags", "list", "element"])
        let cols = meta.rowGroups[0].columns
        #expect(cols.map(\.path) == [["id"], ["name"], ["tags", "list", "element"]])
        #expect(cols[0].statistics == Statistics(nullCount: 1, minValue: [0xFB, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF],
                                                 maxValue: [7, 0, 0, 0, 0, 0, 0, 0]))
        #expect(cols[1].statistics == Statistics(nullCount: 1, minValue: Array("a".utf8), maxValue: Array("b".utf8)))
        // tags entries: null row, empty list, x, null element, y → 5 level entries, 2 values.
        #expect(cols[2].numValues == 5)
        #expect(cols[2].statistics?.nullCount == 3)
        #expect(cols[0].encodings == [.rleDictionary, .plain, .rle])
        #expect(cols[0].dictionaryPageOffset == 4)
    }

    @Test func smokeFileForReaders() throws {
        var rows: [(Int64?, String?, [String?]?)] = [(1, "a", nil), (nil, "b", []), (-5, nil, ["x", nil]), (7, "a", ["y"])]
        for i in 0..<3000 { rows.append((Int64(i), "n\(i % 7)", i % 3 == 0 ? nil : ["t\(i)", nil, "u"])) }
        var o = ParquetWriterOptions()
        o.rowGroupRowLimit = 1000
        let bytes = try Self.write(rows, options: o)
        let meta = try FooterReader.read(bytes: bytes)
        #expect(meta.rowGroups.map(\.numRows) == [1000, 1000, 1000, 4])
        let path = NSTemporaryDirectory() + "datalake-parquet-smoke-\(getpid()).parquet"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try FooterReader.read(path: path).numRows == 3004)
    }
}
