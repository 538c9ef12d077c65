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
/// With `parallel` on a multi-core machine the work is split over two threads. Flat schemas (every
/// column scalar): this thread parses rows into typed column buffers, an encoder thread appends them
/// to the column writers (dictionaries, pages, compression, file writes). Nested schemas: this thread
/// only copies the lines, a row thread scans and encodes them. Errors from the other thread (with
/// their exact line) surface from a later `append` or from `finish`.
package final class KsqlParquetWriter {
    package let fields: [KsqlField]
    let writer: ParquetWriter
    private let scanner: RowScanner
    /// The first error thrown; every later call rethrows it.
    private var failure: Error?

    /// Flat schemas in parallel: rows parsed on this thread go to the encoder thread in batches.
    private let flatPipe: BatchPipe<FlatRowBatch>?
    @exclusivity(unchecked) private var flatBatch: FlatRowBatch?
    private static let flatBatchRows = 8192

    /// Nested schemas in parallel: lines are copied into `lineBatch` for the row thread. `cursor` and
    /// `room` are its free bytes, kept here so that appending a row that fits touches nothing else;
    /// `room` stays 0 in the other modes and after an error.
    private let linePipe: BatchPipe<LineBatch>?
    @exclusivity(unchecked) private var lineBatch: LineBatch?
    @exclusivity(unchecked) private var cursor: UnsafeMutableRawPointer?
    @exclusivity(unchecked) private var room = 0
    private static let lineBatchBytes = 256 << 10

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
        let scanner = RowScanner(fields: fields, writer: writer, firstLineNumber: firstLineNumber)
        self.scanner = scanner
        let thread: Thread?
        if !parallel || ProcessInfo.processInfo.activeProcessorCount < 2 {
            flatPipe = nil
            linePipe = nil
            thread = nil
        } else if scanner.isFlat {
            let pipe = BatchPipe((0..<3).map { _ in FlatRowBatch(columnCount: scanner.plan.count) })
            let encoder = FlatBatchEncoder(plan: scanner.plan, writer: writer)
            flatPipe = pipe
            linePipe = nil
            flatBatch = pipe.takeEmpty()
            thread = Thread { pipe.consume { try encoder.encode($0) } }
            thread?.name = "parquet-encoder"
        } else {
            let pipe = BatchPipe((0..<4).map { _ in LineBatch(capacity: Self.lineBatchBytes) })
            flatPipe = nil
            linePipe = pipe
            let batch = pipe.takeEmpty()
            lineBatch = batch
            cursor = batch.base
            room = batch.capacity
            thread = Thread { pipe.consume { try scanner.write(lines: $0.lines) } }
            thread?.name = "parquet-rows"
        }
        thread?.start()
    }

    deinit {
        cancel()
    }

    /// Appends a batch of complete lines (`\n`-separated; the last may lack its `\n`). Blank lines and
    /// in-band token objects are skipped; an in-band ksqlDB error object is an error.
    @inline(__always)
    package func append(lines: UnsafeRawBufferPointer) throws {
        // The common case of the nested parallel path: the lines fit the open batch, with a '\n' added.
        let n = lines.count
        if n > 0 && n < room, let source = lines.baseAddress {
            let target = cursor.unsafelyUnwrapped
            target.copyMemory(from: source, byteCount: n)
            var used = n
            if source.load(fromByteOffset: n - 1, as: UInt8.self) != 0x0A {
                target.storeBytes(of: 0x0A, toByteOffset: n, as: UInt8.self)
                used += 1
            }
            cursor = target + used
            room -= used
            return
        }
        try appendSlowly(lines)
    }

    package func append(lines: [UInt8]) throws {
        try lines.withUnsafeBytes { try append(lines: $0) }
    }

    private func appendSlowly(_ lines: UnsafeRawBufferPointer) throws {
        if let failure { throw failure }
        do {
            if let linePipe {
                try copy(lines, into: linePipe)
            } else if let flatPipe {
                try scanner.forEachRow(lines) { c in
                    try scanner.parseFlat(&c, into: flatBatch.unsafelyUnwrapped)
                    if flatBatch.unsafelyUnwrapped.rowCount >= Self.flatBatchRows { try sendFlat(flatPipe) }
                }
            } else {
                try scanner.write(lines: lines)
            }
        } catch {
            fail(error)
            throw error
        }
    }

    /// Records the first error; stops the other thread so that the caller may abort the sink.
    private func fail(_ error: Error) {
        failure = error
        room = 0
        cancel()
    }

    private func sendFlat(_ pipe: BatchPipe<FlatRowBatch>) throws {
        pipe.send(flatBatch.unsafelyUnwrapped)
        let next = pipe.takeEmpty()
        next.reset()
        flatBatch = next
        if let error = pipe.currentFailure { throw error }
    }

    /// Copies lines that do not fit the open batch: fills it up to a line boundary, sends it, and goes on
    /// with the next one.
    private func copy(_ lines: UnsafeRawBufferPointer, into pipe: BatchPipe<LineBatch>) throws {
        guard var source = lines.baseAddress, lines.count > 0 else { return }
        var n = lines.count
        while n >= room {
            // The bytes up to the last line end that fits.
            var cut = room
            while cut > 0 && source.load(fromByteOffset: cut - 1, as: UInt8.self) != 0x0A { cut -= 1 }
            let batch = lineBatch.unsafelyUnwrapped
            if cut == 0 && cursor == batch.base {
                // A line longer than a whole batch: enlarge this one (its '\n' may need a byte more).
                let lineLength = memchr(source, 0x0A, n).map { UnsafeRawPointer($0) - source + 1 } ?? n
                batch.reserve(lineLength + 1)
                cursor = batch.base
                room = batch.capacity
                continue
            }
            cursor.unsafelyUnwrapped.copyMemory(from: source, byteCount: cut)
            cursor = cursor.unsafelyUnwrapped + cut
            source += cut
            n -= cut
            try sendLines(pipe)
        }
        try append(lines: UnsafeRawBufferPointer(start: source, count: n))
    }

    private func sendLines(_ pipe: BatchPipe<LineBatch>) throws {
        let batch = lineBatch.unsafelyUnwrapped
        batch.count = cursor.unsafelyUnwrapped - batch.base
        pipe.send(batch)
        let next = pipe.takeEmpty()
        lineBatch = next
        cursor = next.base
        room = next.capacity
        if let error = pipe.currentFailure { throw error }
    }

    /// Writes the last row group and the footer. The sink is left to the caller (commit or abort).
    package func finish() throws -> KsqlParquetSummary {
        if let failure { throw failure }
        do {
            if let linePipe, let lineBatch {
                if cursor != lineBatch.base { try sendLines(linePipe) }
                try finish(linePipe)
            }
            if let flatPipe, let flatBatch {
                if flatBatch.rowCount > 0 { try sendFlat(flatPipe) }
                try finish(flatPipe)
            }
            let meta = try writer.close()
            return KsqlParquetSummary(rows: meta.numRows, bytes: writer.bytesWritten, footer: meta)
        } catch {
            fail(error)
            throw error
        }
    }

    private func finish<Batch>(_ pipe: BatchPipe<Batch>) throws {
        room = 0
        pipe.close()
        pipe.drain()
        if let error = pipe.currentFailure { throw error }
    }

    /// Stops the other thread, dropping the rows it has not written yet, and waits until it no longer
    /// touches the file: call before aborting the sink of a writer that is not finished.
    package func cancel() {
        room = 0
        flatPipe?.cancel()
        linePipe?.cancel()
    }
}
