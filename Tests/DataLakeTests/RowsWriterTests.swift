import Foundation
import Testing
@testable import DataLake
import DataLakeTestSupport
@testable import KsqlDBClient
@testable import KsqlParquet
@testable import LakeStorage
@testable import Parquet

@Suite struct RowsWriterTests {
    /// One thread: the column writers' state can be looked at right after `append`.
    func writer(_ types: [KsqlType], options: ParquetWriterOptions = ParquetWriterOptions()) throws -> (KsqlParquetWriter, ParquetMemorySink) {
        let sink = ParquetMemorySink()
        let fields = types.enumerated().map { KsqlField(name: "C\($0.offset)", type: $0.element) }
        return (try KsqlParquetWriter(fields: fields, sink: sink, options: options, firstLineNumber: 2, parallel: false), sink)
    }

    @Test func listLevelsMatchTheSpecExample() throws {
        // Rows null, [], ["a", null], ["b"] → (rep, def): (0,0); (0,1); (0,3) (1,2); (0,3).
        let (w, _) = try writer([.array(.string)])
        try w.append(lines: Array("[null]\n[[]]\n\n[[\"a\",null]]\n[[\"b\"]]\n".utf8))
        let col = w.writer.columns[0]
        #expect(Array(col.defLevels.values) == [0, 1, 3, 2, 3])
        #expect(Array(col.repLevels.values) == [0, 0, 0, 1, 0])
        #expect(w.writer.rowCount == 4)
    }

    @Test func mapAndStructLevels() throws {
        // MAP<STRING, INT>: key required (max def 2), value optional (max def 3).
        let (w, _) = try writer([.map(key: .string, value: .integer),
                                 .struct([KsqlField(name: "A", type: .integer), KsqlField(name: "B", type: .array(.integer))])])
        try w.append(lines: Array(#"[{"k":1,"j":null}, {"A":5,"B":[7,8]}]"#.utf8 + [0x0A] + #"[{}, null]"#.utf8))
        let cols = w.writer.columns
        #expect(cols.map(\.descriptor.maxDefinitionLevel) == [2, 3, 2, 4])
        #expect(Array(cols[0].defLevels.values) == [2, 2, 1])
        #expect(Array(cols[0].repLevels.values) == [0, 1, 0])
        #expect(Array(cols[1].defLevels.values) == [3, 2, 1])
        #expect(Array(cols[2].defLevels.values) == [2, 0])
        #expect(Array(cols[3].defLevels.values) == [4, 4, 0])
        #expect(Array(cols[3].repLevels.values) == [0, 1, 0])
    }

    @Test func errorsCountLinesAcrossBatches() throws {
        let (w, _) = try writer([.integer, .string])
        try w.append(lines: Array("[1,\"a\"]\n\n".utf8))
        do {
            try w.append(lines: Array("[2,\"b\"]\n[3, 4]\n".utf8))
            Issue.record("expected an error")
        } catch let e as KsqlRowError {
            #expect(e == KsqlRowError(line: 5, column: 5, columnName: "C1", message: "expected a string"))
        }
    }

    @Test func inBandErrorObjectIsAnError() throws {
        let (w, _) = try writer([.integer])
        #expect(throws: KsqlRowError.self) {
            try w.append(lines: Array(#"{"@type":"generic_error","error_code":50000,"message":"boom"}"#.utf8))
        }
    }

    @Test func rowGroupsCutByRowCount() throws {
        var o = ParquetWriterOptions()
        o.rowGroupRowLimit = 2
        let (w, sink) = try writer([.bigint], options: o)
        try w.append(lines: Array("[1]\n[2]\n[3]\n[null]\n[5]\n".utf8))
        let summary = try w.finish()
        #expect(summary.rows == 5)
        #expect(summary.footer.rowGroups.map(\.numRows) == [2, 2, 1])
        #expect(summary.nullCounts == ["C0": 1])
        #expect(summary.bytes == Int64(sink.bytes.count))
        #expect(try FooterReader.read(bytes: sink.bytes).keyValueMetadata.first?.value == "`C0` BIGINT")
    }

    @Test func encoderThreadWritesTheSameBytesAsOneThread() throws {
        let fields = [KsqlField(name: "A", type: .bigint), KsqlField(name: "S", type: .string),
                      KsqlField(name: "D", type: .decimal(precision: 30, scale: 2)), KsqlField(name: "T", type: .timestamp)]
        var text = ""
        for i in 0..<30_000 {
            text += i % 9 == 0 ? "[null,null,null,null]\n" : "[\(i),\"s\(i % 50)\",\(i).25,\"2020-01-01T00:00:00.\(String(format: "%03d", i % 1000))\"]\n"
        }
        var options = ParquetWriterOptions()
        options.rowGroupRowLimit = 7000
        var outputs: [[UInt8]] = []
        for parallel in [true, false] {
            let sink = ParquetMemorySink()
            let w = try KsqlParquetWriter(fields: fields, sink: sink, options: options, parallel: parallel)
            try w.append(lines: Array(text.utf8))
            #expect(try w.finish().rows == 30_000)
            outputs.append(sink.bytes)
        }
        #expect(outputs[0] == outputs[1])
        #expect(try FooterReader.read(bytes: outputs[0]).rowGroups.map(\.numRows) == [7000, 7000, 7000, 7000, 2000])
    }
}
