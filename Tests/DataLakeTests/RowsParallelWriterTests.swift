import Foundation
import Testing
@testable import DataLake
import DataLakeTestSupport
@testable import KsqlDBClient
@testable import KsqlParquet
@testable import LakeStorage
@testable import Parquet

/// The two-thread paths of `KsqlParquetWriter` against its one-thread path: same bytes, same errors,
/// and no hang when a writer fails or is dropped.
@Suite(.timeLimit(.minutes(2))) struct RowsParallelWriterTests {
    static let nested: [KsqlField] = [
        KsqlField(name: "ID", type: .bigint),
        KsqlField(name: "S", type: .struct([KsqlField(name: "NAME", type: .string),
                                            KsqlField(name: "TAGS", type: .array(.string)),
                                            KsqlField(name: "AMOUNT", type: .decimal(precision: 10, scale: 2))])),
        KsqlField(name: "M", type: .map(key: .string, value: .double)),
        KsqlField(name: "A", type: .array(.struct([KsqlField(name: "K", type: .integer), KsqlField(name: "V", type: .string)]))),
        KsqlField(name: "B", type: .map(key: .integer, value: .boolean)),
        KsqlField(name: "T", type: .timestamp),
    ]

    /// Row `i` of the nested schema: nulls, empty containers, missing and lower-cased STRUCT fields,
    /// escapes, non-string MAP keys.
    static func row(_ i: Int) -> String {
        let s: String
        switch i % 7 {
        case 0: s = "null"
        case 1: s = #"{"NAME":"n\#(i % 300)","TAGS":[],"AMOUNT":\#(i % 1000).5}"#
        case 2: s = #"{"amount":-\#(i % 77).25,"name":"caf\u00e9 \"\#(i % 40)\"\n"}"#
        default: s = #"{"NAME":"user_\#(i % 1000)","TAGS":["t\#(i % 5)",null,"x\#(i % 13)"],"AMOUNT":null}"#
        }
        let m = i % 5 == 0 ? "{}" : #"{"a":\#(Double(i) / 8),"b\#(i % 3)":null}"#
        let a = i % 6 == 0 ? "null" : #"[{"K":\#(i % 9),"V":"v\#(i % 20)"},{"K":null},{"V":"w"}]"#
        let b = i % 4 == 0 ? "null" : #"{"\#(i % 50)":true,"-\#(i % 7)":false}"#
        return #"[\#(i), \#(s), \#(m), \#(a), \#(b), "2024-01-0\#(1 + i % 9)T12:00:00.\#(String(format: "%03d", i % 1000))Z"]"#
    }

    static func options() -> ParquetWriterOptions {
        var o = ParquetWriterOptions()
        o.rowGroupRowLimit = 3000
        return o
    }

    /// Writes `chunks` (each a valid argument of `append(lines:)`) and returns the file's bytes.
    static func write(_ chunks: [String], parallel: Bool, options: ParquetWriterOptions = options()) throws -> [UInt8] {
        let sink = ParquetMemorySink()
        let w = try KsqlParquetWriter(fields: nested, sink: sink, options: options, firstLineNumber: 2, parallel: parallel)
        for chunk in chunks { try w.append(lines: Array(chunk.utf8)) }
        _ = try w.finish()
        return sink.bytes
    }

    /// Row groups cut by row count, or by bytes (checked every 1,024 rows on both paths).
    @Test(arguments: [false, true])
    func nestedEncoderThreadWritesTheSameBytesAsOneThread(byteLimited: Bool) throws {
        var options = Self.options()
        if byteLimited {
            options.rowGroupRowLimit = 1 << 20
            options.rowGroupByteLimit = 300_000
            options.dataPageSize = 64 << 10
        }
        var lines = (0..<20_000).map(Self.row)
        // A row longer than a whole tape, a blank line, a token object, a CRLF line.
        let long = (0..<40_000).map { "\"tag\($0)\"" }.joined(separator: ",")
        lines[9_000] = #"[9000, {"NAME":"long","TAGS":[\#(long)]}, null, null, null, null]"#
        lines[9_001] = "   "
        lines[9_002] = #"{"queryId":"q1"}"#
        lines[9_003] += "\r"
        let serial = try Self.write([lines.joined(separator: "\n")], parallel: false, options: options)
        let groups = try FooterReader.read(bytes: serial).rowGroups.map(\.numRows)
        #expect(groups.reduce(0, +) == 19_998)
        #expect(byteLimited ? groups.count > 3 : groups == [3000, 3000, 3000, 3000, 3000, 3000, 1998])

        // One call, one call per line (as the export makes them), and runs of lines ending in '\n'.
        #expect(try Self.write([lines.joined(separator: "\n")], parallel: true, options: options) == serial)
        #expect(try Self.write(lines, parallel: true, options: options) == serial)
        var runs: [String] = []
        var i = 0
        while i < lines.count {
            let n = min(1 + i % 97, lines.count - i)
            runs.append(lines[i..<(i + n)].joined(separator: "\n") + "\n")
            i += n
        }
        #expect(try Self.write(runs, parallel: true, options: options) == serial)
    }

    /// The error `chunks` give, the file's rows when there is none.
    static func failure(_ chunks: [String], parallel: Bool) -> KsqlRowError? {
        do {
            let w = try KsqlParquetWriter(fields: nested, sink: ParquetMemorySink(), options: options(),
                                          firstLineNumber: 2, parallel: parallel)
            var first: KsqlRowError?
            for chunk in chunks {
                do { try w.append(lines: Array(chunk.utf8)) } catch let e as KsqlRowError {
                    first = e
                    break
                }
            }
            if first == nil {
                do { _ = try w.finish() } catch let e as KsqlRowError { first = e }
            }
            // Every later call gives the same error, without waiting for anything.
            if let first {
                #expect(throws: first) { try w.append(lines: Array(Self.row(0).utf8)) }
                #expect(throws: first) { try w.finish() }
            }
            return first
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    @Test(arguments: [
        (#"[1, {"NAME":"a","TAGS":["x",7]}, null, null, null, null]"#, 29, "S"),
        (#"[1, null, null, [{"K":"nine"}], null, null]"#, 23, "A"),
        (#"[1, null, null, null, {"x":true}, null]"#, 24, "B"),
        (#"[1, null, null, null, null, null, 7]"#, 33, nil),
        (#"{"@type":"generic_error","error_code":50000,"message":"boom"}"#, 1, nil),
    ] as [(String, Int, String?)])
    func errorInTheMiddleOfANestedBatchIsTheSerialError(bad: String, column: Int, name: String?) throws {
        var lines = (0..<12_000).map(Self.row)
        lines[7_777] = bad
        let serial = Self.failure([lines.joined(separator: "\n")], parallel: false)
        #expect(serial?.line == 7_779)
        #expect(serial?.column == column)
        #expect(serial?.columnName == name)
        #expect(Self.failure([lines.joined(separator: "\n")], parallel: true) == serial)
        #expect(Self.failure(lines, parallel: true) == serial)
        // The error in the last line handed in.
        #expect(Self.failure(Array(lines[0...7_777]), parallel: true) == serial)
    }

    @Test func writerDroppedWithoutFinishDoesNotHang() throws {
        let lines = (0..<50_000).map(Self.row)
        for stop in [0, 1, 10_000, 50_000] {
            let sink = ParquetMemorySink()
            var w: KsqlParquetWriter? = try KsqlParquetWriter(fields: Self.nested, sink: sink, options: Self.options())
            for line in lines[0..<stop] { try w?.append(lines: Array(line.utf8)) }
            w = nil
            // Nothing writes to the sink any more.
            let written = sink.bytes.count
            Thread.sleep(forTimeInterval: 0.01)
            #expect(sink.bytes.count == written)
        }
        // And cancelled first, as an aborted export does before deleting the file.
        let sink = ParquetMemorySink()
        let w = try KsqlParquetWriter(fields: Self.nested, sink: sink, options: Self.options())
        for line in lines { try w.append(lines: Array(line.utf8)) }
        w.cancel()
        let written = sink.bytes.count
        Thread.sleep(forTimeInterval: 0.01)
        #expect(sink.bytes.count == written)
    }

    /// Fails every write once `limit` bytes are written.
    final class FullSink: ParquetSink {
        let limit: Int
        var written = 0
        init(limit: Int) { self.limit = limit }
        func write(_ bytes: UnsafeRawBufferPointer) throws {
            if written + bytes.count > limit { throw ParquetError("disk full") }
            written += bytes.count
        }
    }

    @Test(arguments: [true, false])
    func aSinkErrorOnTheOtherThreadSurfacesWithoutAHang(nested: Bool) throws {
        var options = Self.options()
        options.rowGroupRowLimit = 500
        let fields = nested ? Self.nested : [KsqlField(name: "A", type: .bigint), KsqlField(name: "S", type: .string)]
        let w = try KsqlParquetWriter(fields: fields, sink: FullSink(limit: 20_000), options: options)
        #expect(throws: ParquetError("disk full")) {
            for i in 0..<100_000 { try w.append(lines: Array((nested ? Self.row(i) : "[\(i),\"s\(i)\"]").utf8)) }
            _ = try w.finish()
        }
        #expect(throws: ParquetError("disk full")) { try w.finish() }
    }

    @Test func flatParseErrorAndDropDoNotHang() throws {
        let fields = [KsqlField(name: "A", type: .bigint), KsqlField(name: "S", type: .string)]
        let good = (0..<30_000).map { "[\($0),\"s\($0 % 50)\"]" }
        var bad = good
        bad[20_000] = "[1,2]"
        let serial: KsqlRowError? = {
            let w = try? KsqlParquetWriter(fields: fields, sink: ParquetMemorySink(), parallel: false)
            do { try w?.append(lines: Array(bad.joined(separator: "\n").utf8)) } catch { return error as? KsqlRowError }
            return nil
        }()
        #expect(serial == KsqlRowError(line: 20_001, column: 4, columnName: "S", message: "expected a string"))
        let w = try KsqlParquetWriter(fields: fields, sink: ParquetMemorySink())
        #expect(throws: serial!) { for line in bad { try w.append(lines: Array(line.utf8)) } }
        #expect(throws: serial!) { try w.finish() }
        var dropped: KsqlParquetWriter? = try KsqlParquetWriter(fields: fields, sink: ParquetMemorySink())
        for line in good { try dropped?.append(lines: Array(line.utf8)) }
        dropped = nil
    }
}
