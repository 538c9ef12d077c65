import Foundation
import KsqlDBClient
import Parquet

/// Streams ksqlDB `/query-stream` delimited rows into one Parquet file: takes batches of complete row
/// lines, scans each with a byte-level scanner driven by the column types, and appends the values to
/// the Parquet column writers (row groups are cut by the writer options). After an error the file is
/// incomplete: abort its sink.
///
/// With `parallel` on a multi-core machine, parsing and encoding run on two threads: this one parses
/// rows (flat schemas, every column scalar: into typed column buffers; nested schemas: onto a tape of
/// leaf values with their levels), an encoder thread appends them to the column writers (dictionaries,
/// pages, compression, file writes). Encoding errors surface from a later `append` or from `finish`.
package final class KsqlParquetWriter {
    package let fields: [KsqlField]
    let writer: ParquetWriter
    private let scanner: RowScanner
    /// The column writers, as the one-thread path (and the nested encoder thread) write to them.
    private let output: ColumnRowOutput
    /// The first error thrown; every later call rethrows it.
    @exclusivity(unchecked) private var failure: Error?

    /// Flat schemas in parallel: parsed rows go to the encoder thread in column batches.
    private let flatPipe: BatchPipe<FlatRowBatch>?
    @exclusivity(unchecked) private var flatBatch: FlatRowBatch?
    /// `flatBatch` without reference counting, for the per-row path.
    @exclusivity(unchecked) private var flatBatchRef: Unretained<FlatRowBatch>?
    /// 8192 measured as fast, but with `batchesInFlight` of them per open file a flat export peaked
    /// at 103 MB instead of 74.
    private static let flatBatchRows = 2048
    /// Called on this (the parsing) thread with each flat batch before the encoder gets it, when
    /// `parsesFlatBatches` holds: a reader of the typed values (quality checks) needs no second
    /// parse. Never called on the other paths.
    package var onFlatBatch: ((FlatRowBatch) -> Void)?

    /// Nested schemas in parallel: parsed rows go to the encoder thread on tapes.
    private let tapePipe: BatchPipe<RowTape>?
    @exclusivity(unchecked) private var tape: RowTape?
    /// `tape` without reference counting, for the per-row path.
    @exclusivity(unchecked) private var tapeRef: Unretained<RowTape>?
    /// A hand-off costs tens of microseconds (a wake-up on the other thread): 64 KiB tapes made a
    /// nested export much slower, 1 MiB ones 5–7 % faster than 256 KiB (`bench/export_ab.py`).
    private static let tapeBytes = 1 << 20
    /// Batches (or tapes) between the parsing and the encoding thread. With 3, each thread was busy
    /// only ~60 % of a nested export: on two cores shared with the reader and ksqlDB, one stalled
    /// whenever the other was descheduled. 8 absorb that (nested wall −10 %, flat −6 %, measured
    /// with `bench/export_ab.py`); 16 gained nothing more. Memory: 8 tapes of 1.06 MiB, or 8 flat
    /// batches of 2048 rows, per open file.
    private static let batchesInFlight = 8

    /// `firstLineNumber` is the line number of the first line of the first batch (2 after a header line).
    package init(fields: [KsqlField], sink: ParquetSink, options: ParquetWriterOptions = ParquetWriterOptions(),
                 keyValueMetadata: [(key: String, value: String)] = [], firstLineNumber: Int = 1, parallel: Bool = true,
                 timestamps: TimestampPrecision = .millis) throws {
        self.fields = fields
        let schema = try KsqlField.parquetSchema(fields, timestamps: timestamps)
        var metadata = keyValueMetadata
        if !metadata.contains(where: { $0.key == "ksqldb.schema" }) {
            metadata.append((key: "ksqldb.schema", value: KsqlField.schemaString(fields)))
        }
        let writer = try ParquetWriter(schema: schema, sink: sink, options: options, keyValueMetadata: metadata)
        self.writer = writer
        let scanner = RowScanner(fields: fields, writer: writer, firstLineNumber: firstLineNumber, timestamps: timestamps)
        self.scanner = scanner
        let output = ColumnRowOutput(writer: writer)
        self.output = output
        // A tape header holds limited leaf indexes and levels; no real schema comes near them.
        let fitsTape = writer.columns.count <= RowTape.maxLeaf + 1 && writer.columns.allSatisfy {
            $0.descriptor.maxDefinitionLevel <= RowTape.maxLevel && $0.descriptor.maxRepetitionLevel <= RowTape.maxLevel
        }
        let thread: Thread?
        if Self.parsesFlatBatches(fields, parallel: parallel) {
            let pipe = BatchPipe((0..<Self.batchesInFlight).map { _ in FlatRowBatch(columnCount: scanner.plan.count) })
            let encoder = FlatBatchEncoder(plan: scanner.plan, writer: writer)
            flatPipe = pipe
            tapePipe = nil
            let first = pipe.takeEmpty()
            flatBatch = first
            flatBatchRef = Unretained(first)
            thread = Thread { pipe.consume { try encoder.encode($0) } }
        } else if !parallel || !Self.hasSecondCore || !fitsTape {
            flatPipe = nil
            tapePipe = nil
            thread = nil
        } else {
            let pipe = BatchPipe((0..<Self.batchesInFlight).map { _ in RowTape(capacity: Self.tapeBytes + (64 << 10)) })
            flatPipe = nil
            tapePipe = pipe
            let first = pipe.takeEmpty()
            tape = first
            tapeRef = Unretained(first)
            thread = Thread { pipe.consume { try $0.replay(into: output) } }
        }
        thread?.name = "parquet-encoder"
        thread?.start()
    }

    deinit {
        cancel()
    }

    private static var hasSecondCore: Bool { ProcessInfo.processInfo.activeProcessorCount >= 2 }

    /// True when a writer of these columns parses rows into `FlatRowBatch`es (every column scalar,
    /// `parallel`, two cores or more): then, and only then, `onFlatBatch` sees every row.
    package static func parsesFlatBatches(_ fields: [KsqlField], parallel: Bool = true) -> Bool {
        guard parallel, hasSecondCore, !fields.isEmpty else { return false }
        return fields.allSatisfy {
            switch $0.type {
            case .array, .map, .struct: return false
            default: return true
            }
        }
    }

    /// Appends a batch of complete lines (`\n`-separated; the last may lack its `\n`). Blank lines and
    /// in-band token objects are skipped; an in-band ksqlDB error object is an error.
    package func append(lines: UnsafeRawBufferPointer) throws {
        if let failure { throw failure }
        do {
            if let tapePipe {
                try scanner.forEachRow(lines) { c in
                    try scanner.writeRow(&c, to: tape.unsafelyUnwrapped)
                    if tape.unsafelyUnwrapped.count >= Self.tapeBytes { try sendTape(tapePipe) }
                }
            } else if let flatPipe {
                try scanner.forEachRow(lines) { c in
                    try scanner.parseFlat(&c, into: flatBatch.unsafelyUnwrapped)
                    if flatBatch.unsafelyUnwrapped.rowCount >= Self.flatBatchRows { try sendFlat(flatPipe) }
                }
            } else {
                try scanner.write(lines: lines, to: output)
            }
        } catch {
            fail(error)
            throw error
        }
    }

    /// Appends one row line (without its `\n`), tagging it in its flat batch (`FlatRowBatch.tags`) with `tag`.
    package func append(line: UnsafeRawBufferPointer, tag: Int) throws {
        guard let flatPipe else {
            guard tapeRef != nil else { return try append(lines: line) }
            return try appendToTape(line)
        }
        if let failure { throw failure }
        do {
            var full = false
            try scanner.forOneRow(line) { c in
                try flatBatchRef.unsafelyUnwrapped.call { batch in
                    try scanner.parseFlat(&c, into: batch)
                    batch.tags.append(tag)
                    full = batch.rowCount >= Self.flatBatchRows
                }
            }
            if full { try sendFlat(flatPipe) }
        } catch {
            fail(error)
            throw error
        }
    }

    /// One nested row onto the tape: no search for the line's end, nothing retained per row.
    private func appendToTape(_ line: UnsafeRawBufferPointer) throws {
        if let failure { throw failure }
        do {
            var full = false
            try scanner.forOneRow(line) { c in
                try tapeRef.unsafelyUnwrapped.call { t in
                    try scanner.writeRow(&c, to: t)
                    full = t.count >= Self.tapeBytes
                }
            }
            if full, let tapePipe { try sendTape(tapePipe) }
        } catch {
            fail(error)
            throw error
        }
    }

    package func append(lines: [UInt8]) throws {
        try lines.withUnsafeBytes { try append(lines: $0) }
    }

    /// Records the first error and stops the encoder thread, so that the caller may abort the sink.
    private func fail(_ error: Error) {
        failure = error
        cancel()
    }

    private func sendFlat(_ pipe: BatchPipe<FlatRowBatch>) throws {
        onFlatBatch?(flatBatch.unsafelyUnwrapped)
        pipe.send(flatBatch.unsafelyUnwrapped)
        let next = pipe.takeEmpty()
        next.reset()
        flatBatch = next
        flatBatchRef = Unretained(next)
        if let error = pipe.currentFailure { throw error }
    }

    private func sendTape(_ pipe: BatchPipe<RowTape>) throws {
        pipe.send(tape.unsafelyUnwrapped)
        let next = pipe.takeEmpty()
        next.reset()
        tape = next
        tapeRef = Unretained(next)
        if let error = pipe.currentFailure { throw error }
    }

    /// Writes the last row group and the footer. The sink is left to the caller (commit or abort).
    package func finish() throws -> KsqlParquetSummary {
        if let failure { throw failure }
        do {
            if let tapePipe, let tape {
                if tape.rows > 0 { try sendTape(tapePipe) }
                try finish(tapePipe)
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
        pipe.close()
        pipe.drain()
        if let error = pipe.currentFailure { throw error }
    }

    /// Stops the encoder thread, dropping the rows it has not written yet, and waits until it no longer
    /// touches the file: call before aborting the sink of a writer that is not finished.
    package func cancel() {
        flatPipe?.cancel()
        tapePipe?.cancel()
    }
}
