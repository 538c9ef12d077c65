#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import KsqlDBClient
import Parquet

/// Converts a saved `/query-stream` delimited response (header line, then one JSON array per row)
/// into one Parquet file. The caller supplies the bytes (`read`) and the output (`makeSink`, called
/// once the header is good); on any error it aborts the output, so nothing half-written remains.
package enum KsqlDumpConverter {
    /// An error with the input position when there is one, rendered `file:line:col: error: …` by the CLI.
    package struct Failure: Error, CustomStringConvertible {
        /// The input's name; nil for a failure of the output (the caller names it).
        package var file: String?
        package var line: Int?
        package var column: Int?
        package var message: String

        package init(file: String?, line: Int? = nil, column: Int? = nil, message: String) {
            self.file = file
            self.line = line
            self.column = column
            self.message = message
        }

        package var description: String {
            guard let file else { return "error: \(message)" }
            if let line, let column { return "\(file):\(line):\(column): error: \(message)" }
            return "\(file): error: \(message)"
        }
    }

    /// Reads the dump through `read` (which fills a buffer and returns the count, 0 at the end) and
    /// writes it to the sink `makeSink` returns. `inputName` names the input in errors.
    package static func convert(inputName: String, read: (UnsafeMutableRawBufferPointer) throws -> Int,
                                makeSink: () throws -> ParquetSink,
                                options: ParquetWriterOptions = ParquetWriterOptions()) throws(Failure) -> KsqlParquetSummary {
        do {
            let chunkSize = 4 << 20
            var buffer = [UInt8](repeating: 0, count: chunkSize)
            var filled = 0
            var eof = false
            var writer: KsqlParquetWriter?
            while true {
                if !eof && filled < buffer.count {
                    let n: Int
                    do {
                        n = try buffer.withUnsafeMutableBytes { try read(UnsafeMutableRawBufferPointer(rebasing: $0[filled...])) }
                    } catch {
                        throw Failure(file: inputName, message: "\(error)")
                    }
                    if n == 0 { eof = true }
                    filled += n
                }
                // Process the complete lines in the buffer; keep the partial tail for the next read.
                var consumed = 0
                let lastNewline = buffer.withUnsafeBytes { p -> Int? in
                    var i = filled - 1
                    while i >= 0 { if p[i] == 0x0A { return i }; i -= 1 }
                    return nil
                }
                let usable = eof ? filled : (lastNewline.map { $0 + 1 } ?? 0)
                if writer == nil && usable > 0 {
                    // The header is the first line.
                    let headerEnd = buffer.withUnsafeBytes { p -> Int in
                        var i = 0
                        while i < usable && p[i] != 0x0A { i += 1 }
                        return i
                    }
                    let header = try buffer.withUnsafeBytes { p throws(Failure) in
                        var end = headerEnd
                        if end > 0 && p[end - 1] == 0x0D { end -= 1 }
                        return try Self.header(UnsafeRawBufferPointer(rebasing: p[0..<end]), inputName: inputName)
                    }
                    writer = try KsqlParquetWriter(fields: header.columns, sink: try makeSink(), options: options, firstLineNumber: 2)
                    consumed = min(headerEnd + 1, usable)
                }
                if let writer, usable > consumed {
                    try buffer.withUnsafeBytes { p in try writer.append(lines: UnsafeRawBufferPointer(rebasing: p[consumed..<usable])) }
                    consumed = usable
                }
                if eof {
                    guard let writer else {
                        throw Failure(file: inputName, line: 1, column: 1, message: "empty input: expected a query header line")
                    }
                    return try writer.finish()
                }
                if consumed > 0 {
                    buffer.withUnsafeMutableBytes { p in
                        if filled > consumed { memmove(p.baseAddress!, p.baseAddress! + consumed, filled - consumed) }
                    }
                    filled -= consumed
                } else if filled == buffer.count {
                    // A line longer than the buffer: grow it.
                    buffer.append(contentsOf: [UInt8](repeating: 0, count: buffer.count))
                }
            }
        } catch let e as Failure {
            throw e
        } catch let e as KsqlRowError {
            throw Failure(file: inputName, line: e.line, column: e.column,
                          message: e.columnName.map { "column \($0): \(e.message)" } ?? e.message)
        } catch let e as ParquetError {
            throw Failure(file: nil, message: e.message)
        } catch {
            throw Failure(file: nil, message: "\(error)")
        }
    }

    /// The header line, classified as the client's framer classifies it.
    static func header(_ line: UnsafeRawBufferPointer, inputName: String) throws(Failure) -> KsqlQueryHeader {
        let object: KsqlInBandObject?
        do { object = try KsqlInBandObject.classify(line) } catch {
            throw Failure(file: inputName, line: 1, column: 1, message: error.message)
        }
        switch object {
        case let .header(header)?: return header
        case let .error(code, message)?:
            throw Failure(file: inputName, line: 1, column: 1,
                          message: "ksqlDB returned an error\(code.map { " (\($0))" } ?? ""): \(message ?? String(decoding: line.prefix(300), as: UTF8.self))")
        case .token?, .unknown?, nil:
            throw Failure(file: inputName, line: 1, column: 1, message: "expected a query header with columnNames and columnTypes")
        }
    }
}
