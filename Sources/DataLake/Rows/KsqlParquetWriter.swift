#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Parquet

/// Streams ksqlDB `/query-stream` delimited rows into one Parquet file: takes batches of complete row
/// lines, scans each with a byte-level scanner driven by the column types, and appends the values to
/// the Parquet column writers (row groups are cut by the writer options). After an error the file is
/// incomplete: abort its sink.
///
/// For flat schemas (every column scalar) on a multi-core machine, parsing and encoding run on two
/// threads: this one parses batches of rows into typed column buffers, an encoder thread appends them
/// to the column writers (dictionaries, pages, compression, file writes).
package final class KsqlParquetWriter {
    package let fields: [KsqlField]
    let writer: ParquetWriter
    private let plan: [RowPlanNode]
    private let columns: [ColumnWriter]
    /// Number of the next line handed in, for error positions.
    package private(set) var nextLineNumber: Int
    @exclusivity(unchecked) private var scratch: [UInt8] = []
    @exclusivity(unchecked) private var bytesBuffer: [UInt8] = []
    @exclusivity(unchecked) private var currentColumn = 0
    private var parsedRows: Int64 = 0
    private let pipe: BatchPipe?
    @exclusivity(unchecked) private var batch: FlatRowBatch?
    private static let batchRows = 8192
    /// Per top-level column, for the flat path: scalar kind, decimal precision/scale, fixed width.
    private let flatColumns: [(scalar: RowPlanNode.Scalar, precision: Int, scale: Int, width: Int)]

    /// `firstLineNumber` is the line number of the first line of the first batch (2 after a header line).
    package init(fields: [KsqlField], sink: ParquetSink, options: ParquetWriterOptions = ParquetWriterOptions(),
                 keyValueMetadata: [(key: String, value: String)] = [], firstLineNumber: Int = 1, parallel: Bool = true) throws {
        self.fields = fields
        let schema = try KsqlField.parquetSchema(fields)
        var metadata = keyValueMetadata
        if !metadata.contains(where: { $0.key == "ksqldb.schema" }) {
            metadata.append((key: "ksqldb.schema", value: KsqlField.schemaString(fields)))
        }
        writer = try ParquetWriter(schema: schema, sink: sink, options: options, keyValueMetadata: metadata)
        columns = writer.columns
        var leaf = 0
        plan = fields.map { RowPlanNode.build($0.type, parentDef: 0, parentRep: 0, nextLeaf: &leaf) }
        for node in plan { node.bind(columns) }
        flatColumns = plan.map { ($0.scalar, $0.precision, $0.scale, Int($0.column?.descriptor.typeLength ?? 16)) }
        nextLineNumber = firstLineNumber
        let flat = !plan.isEmpty && plan.allSatisfy { $0.scalar != .none }
        if flat && parallel && ProcessInfo.processInfo.activeProcessorCount > 1 {
            let pipe = BatchPipe(batches: 3, columnCount: plan.count)
            self.pipe = pipe
            let encoder = FlatBatchEncoder(plan: plan, writer: writer)
            let thread = Thread {
                while let b = pipe.receive() {
                    var failure: Error?
                    do { try encoder.encode(b) } catch { failure = error }
                    pipe.recycle(b, error: failure)
                }
            }
            thread.name = "parquet-encoder"
            thread.start()
        } else {
            pipe = nil
        }
    }

    deinit {
        pipe?.close()
    }

    /// Rows appended so far.
    package var rowCount: Int64 { parsedRows }

    /// Appends a batch of complete lines (`\n`-separated; the last may lack its `\n`). Blank lines and
    /// in-band token objects are skipped; an in-band ksqlDB error object is an error.
    package func append(lines: UnsafeRawBufferPointer) throws {
        do {
            try appendLines(lines)
        } catch {
            // Let the encoder thread finish with the sink before the caller aborts it.
            pipe?.drain()
            throw error
        }
    }

    private func appendLines(_ lines: UnsafeRawBufferPointer) throws {
        guard let base = lines.baseAddress else { return }
        var start = 0
        let n = lines.count
        while start < n {
            var end = start
            if let nl = memchrIndex(base, from: start, to: n, byte: 0x0A) { end = nl } else { end = n }
            var lineEnd = end
            if lineEnd > start && base.load(fromByteOffset: lineEnd - 1, as: UInt8.self) == 0x0D { lineEnd -= 1 }
            try appendLine(UnsafeRawBufferPointer(start: base + start, count: lineEnd - start))
            nextLineNumber += 1
            start = end + 1
        }
    }

    package func append(lines: [UInt8]) throws {
        try lines.withUnsafeBytes { try append(lines: $0) }
    }

    private func memchrIndex(_ base: UnsafeRawPointer, from: Int, to: Int, byte: Int32) -> Int? {
        guard let p = memchr(base + from, byte, to - from) else { return nil }
        return UnsafeRawPointer(p) - base
    }

    private func appendLine(_ line: UnsafeRawBufferPointer) throws {
        var c = RowCursor(line)
        c.skipSpaces()
        if c.atEnd { return }
        if c.peek == 0x7B {
            let text = String(decoding: line, as: UTF8.self)
            if text.contains("\"error_code\"") || text.contains("\"@type\"") {
                throw KsqlRowError(line: nextLineNumber, column: c.pos + 1, columnName: nil,
                                   message: "ksqlDB reported an error in the stream: \(text.prefix(300))")
            }
            return
        }
        if let pipe {
            if let failure = pipe.currentFailure { throw failure }
            if batch == nil { batch = pipe.takeEmpty() }
            try parseFlat(&c, into: batch.unsafelyUnwrapped)
            parsedRows += 1
            if batch.unsafelyUnwrapped.rowCount >= Self.batchRows {
                pipe.send(batch.unsafelyUnwrapped)
                batch = nil
            }
            return
        }
        do throws(RowCursor.Failure) {
            try c.parseRow(count: plan.count, column: &currentColumn) { (c: inout RowCursor, i: Int) throws(RowCursor.Failure) in
                try write(plan[i], &c, rep: 0)
            }
        } catch {
            throw rowError(error)
        }
        try writer.endRow()
        parsedRows += 1
    }

    private func rowError(_ error: RowCursor.Failure) -> KsqlRowError {
        let name = currentColumn >= 0 && currentColumn < fields.count ? fields[currentColumn].name : nil
        return KsqlRowError(line: nextLineNumber, column: error.offset + 1, columnName: name, message: error.message)
    }

    /// Parses one row of a flat schema into the batch's column buffers.
    private func parseFlat(_ c: inout RowCursor, into b: FlatRowBatch) throws {
        // One exclusive access to the batch's columns per row, and trivial per-column facts, keep
        // retains and uniqueness checks out of the per-value path.
        let result: Result<Void, RowCursor.Failure> = b.columns.withUnsafeMutableBufferPointer { cols in
            Result { () throws(RowCursor.Failure) in
                try c.parseRow(count: flatColumns.count, column: &currentColumn) { (c: inout RowCursor, j: Int) throws(RowCursor.Failure) in
                    let info = flatColumns[j]
                    if c.takeNull() {
                        cols[j].present.append(false)
                        return
                    }
                    switch info.scalar {
                    case .boolean: cols[j].bools.append(try c.parseBool())
                    case .integer: cols[j].ints.append(try c.parseInteger(min: Int64(Int32.min), max: Int64(Int32.max), typeName: "INTEGER"))
                    case .bigint: cols[j].ints.append(try c.parseInteger(min: .min, max: .max, typeName: "BIGINT"))
                    case .double: cols[j].doubles.append(try c.parseDouble())
                    case .timestamp: cols[j].ints.append(try c.parseTimestamp())
                    case .date: cols[j].ints.append(Int64(try c.parseDate()))
                    case .time: cols[j].ints.append(Int64(try c.parseTime()))
                    case .decimal32, .decimal64:
                        cols[j].ints.append(Int64(truncatingIfNeeded: try c.parseDecimal(precision: info.precision, scale: info.scale)))
                    case .decimalBytes:
                        let v = try c.parseDecimal(precision: info.precision, scale: info.scale)
                        withUnsafeBytes(of: v.bigEndian) { be in cols[j].arena.append(contentsOf: be[(16 - info.width)...]) }
                        cols[j].ends.append(cols[j].arena.count)
                    case .string:
                        try c.withString(scratch: &scratch) { (p: UnsafeRawBufferPointer) throws(RowCursor.Failure) in
                            cols[j].arena.append(contentsOf: p)
                        }
                        cols[j].ends.append(cols[j].arena.count)
                    case .bytes:
                        try c.parseBase64(into: &bytesBuffer, scratch: &scratch)
                        cols[j].arena.append(contentsOf: bytesBuffer)
                        cols[j].ends.append(cols[j].arena.count)
                    case .none:
                        throw c.fail("internal error: compound type in a flat row")
                    }
                    cols[j].present.append(true)
                }
            }
        }
        do throws(RowCursor.Failure) {
            try result.get()
        } catch {
            throw rowError(error)
        }
        b.rowCount += 1
    }

    @inline(__always)
    private func nullLeaves(_ node: RowPlanNode, def: Int, rep: Int) {
        for leaf in node.leaves { columns[leaf].appendNull(definitionLevel: def, repetitionLevel: rep) }
    }

    private func write(_ node: RowPlanNode, _ c: inout RowCursor, rep: Int) throws(RowCursor.Failure) {
        if node.scalar != .none {
            let col = node.column.unsafelyUnwrapped
            if c.takeNull() {
                col.appendNull(definitionLevel: node.def - 1, repetitionLevel: rep)
            } else {
                try writeScalar(node, col, &c, rep: rep)
            }
            return
        }
        if c.takeNull() {
            nullLeaves(node, def: node.def - 1, rep: rep)
            return
        }
        switch node.kind {
        case .scalar:
            break
        case let .array(element):
            let n = try c.parseElements(object: false, "an ARRAY") { (c: inout RowCursor, i: Int) throws(RowCursor.Failure) in
                try write(element, &c, rep: i == 0 ? rep : node.elementRep)
            }
            if n == 0 { nullLeaves(node, def: node.def, rep: rep) }
        case let .map(key, value):
            let n = try c.parseElements(object: true, "a MAP") { (c: inout RowCursor, i: Int) throws(RowCursor.Failure) in
                let r = i == 0 ? rep : node.elementRep
                try writeMapKey(key, &c, rep: r)
                try c.expect(0x3A, "':' in a MAP")
                try write(value, &c, rep: r)
            }
            if n == 0 { nullLeaves(node, def: node.def, rep: rep) }
        case let .structure(fields, names):
            for i in node.seen.indices { node.seen[i] = false }
            var expected = 0
            _ = try c.parseElements(object: true, "a STRUCT") { (c: inout RowCursor, _: Int) throws(RowCursor.Failure) in
                let keyStart = c.pos
                let idx = try c.withString(scratch: &scratch) { (p: UnsafeRawBufferPointer) throws(RowCursor.Failure) -> Int? in
                    Self.fieldIndex(names, p, hint: expected)
                }
                try c.expect(0x3A, "':' in a STRUCT")
                guard let idx else { return try c.skipValue() }
                if node.seen[idx] { throw c.fail("duplicate STRUCT field", at: keyStart) }
                node.seen[idx] = true
                try write(fields[idx], &c, rep: rep)
                expected = idx + 1
            }
            for (i, f) in fields.enumerated() where !node.seen[i] { nullLeaves(f, def: f.def - 1, rep: rep) }
        }
    }

    private static func fieldIndex(_ names: [[UInt8]], _ p: UnsafeRawBufferPointer, hint: Int) -> Int? {
        if hint < names.count && names[hint].elementsEqual(p) { return hint }
        for (i, n) in names.enumerated() where n.elementsEqual(p) { return i }
        // Field names differ only in case from a lower-cased JSON rendering: accept that too.
        let lower = p.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 32 : $0 }
        for (i, n) in names.enumerated() where n.map({ $0 >= 0x41 && $0 <= 0x5A ? $0 + 32 : $0 }) == lower { return i }
        return nil
    }

    /// MAP keys are JSON strings; for non-STRING key types the string holds the key's literal.
    private func writeMapKey(_ key: RowPlanNode, _ c: inout RowCursor, rep: Int) throws(RowCursor.Failure) {
        guard case let .scalar(type) = key.kind else { throw c.fail("MAP keys must be scalar") }
        let column = columns[key.leaves.lowerBound]
        if type == .string {
            try c.withString(scratch: &scratch) { (p: UnsafeRawBufferPointer) throws(RowCursor.Failure) in column.append(bytes: p, repetitionLevel: rep) }
            return
        }
        let keyStart = c.pos
        var copy: [UInt8] = []
        if let r = try c.parseString(scratch: &scratch) {
            copy = Array(UnsafeBufferPointer(start: c.base + r.lowerBound, count: r.count))
        } else {
            copy = scratch
        }
        if [.date, .time, .timestamp, .bytes].contains(type) { copy = [0x22] + copy + [0x22] }
        do throws(RowCursor.Failure) {
            try c.withBytes(copy) { (p: UnsafeRawBufferPointer) throws(RowCursor.Failure) in
                var sub = RowCursor(p)
                try writeScalar(key, column, &sub, rep: rep)
                sub.skipSpaces()
                if !sub.atEnd { throw sub.fail("invalid MAP key") }
            }
        } catch {
            throw c.fail(error.message, at: keyStart)
        }
    }

    @inline(__always)
    private func writeScalar(_ node: RowPlanNode, _ col: ColumnWriter, _ c: inout RowCursor, rep: Int) throws(RowCursor.Failure) {
        switch node.scalar {
        case .boolean: col.append(try c.parseBool(), repetitionLevel: rep)
        case .integer:
            col.append(Int32(truncatingIfNeeded: try c.parseInteger(min: Int64(Int32.min), max: Int64(Int32.max), typeName: "INTEGER")), repetitionLevel: rep)
        case .bigint: col.append(try c.parseInteger(min: .min, max: .max, typeName: "BIGINT"), repetitionLevel: rep)
        case .double: col.append(try c.parseDouble(), repetitionLevel: rep)
        case .string:
            try c.withString(scratch: &scratch) { (p: UnsafeRawBufferPointer) throws(RowCursor.Failure) in col.append(bytes: p, repetitionLevel: rep) }
        case .timestamp: col.append(try c.parseTimestamp(), repetitionLevel: rep)
        case .date: col.append(try c.parseDate(), repetitionLevel: rep)
        case .time: col.append(try c.parseTime(), repetitionLevel: rep)
        case .decimal32:
            col.append(Int32(truncatingIfNeeded: try c.parseDecimal(precision: node.precision, scale: node.scale)), repetitionLevel: rep)
        case .decimal64:
            col.append(Int64(truncatingIfNeeded: try c.parseDecimal(precision: node.precision, scale: node.scale)), repetitionLevel: rep)
        case .decimalBytes:
            let v = try c.parseDecimal(precision: node.precision, scale: node.scale)
            let width = Int(col.descriptor.typeLength ?? 16)
            withUnsafeBytes(of: v.bigEndian) { be in
                col.append(bytes: UnsafeRawBufferPointer(rebasing: be[(16 - width)...]), repetitionLevel: rep)
            }
        case .bytes:
            try c.parseBase64(into: &bytesBuffer, scratch: &scratch)
            col.append(bytes: bytesBuffer, repetitionLevel: rep)
        case .none:
            throw c.fail("internal error: compound type in scalar position")
        }
    }

    /// Writes the last row group and the footer. The sink is left to the caller (commit or abort).
    package func finish() throws -> KsqlParquetSummary {
        if let pipe {
            if let batch, batch.rowCount > 0 { pipe.send(batch) }
            batch = nil
            pipe.drain()
            pipe.close()
            if let failure = pipe.currentFailure { throw failure }
        }
        let meta = try writer.close()
        return KsqlParquetSummary(rows: meta.numRows, bytes: writer.bytesWritten, footer: meta)
    }
}
