#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Parquet

/// Converts a saved `/query-stream` delimited response (header line, then one JSON array per row)
/// into one Parquet file, written through a temporary file, fsync and rename: on any error no output
/// file remains.
package enum KsqlDumpConverter {
    /// An error with the input position when there is one, rendered `file:line:col: error: …` by the CLI.
    package struct Failure: Error, CustomStringConvertible {
        package var file: String
        package var line: Int?
        package var column: Int?
        package var message: String

        package var description: String {
            if let line, let column { return "\(file):\(line):\(column): error: \(message)" }
            return "\(file): error: \(message)"
        }
    }

    /// Reads `inputPath` (`-` for stdin) and writes `outputPath`. Returns the summary of the file written.
    package static func convert(inputPath: String, outputPath: String,
                                options: ParquetWriterOptions = ParquetWriterOptions()) throws(Failure) -> KsqlParquetSummary {
        let inputName = inputPath == "-" ? "<stdin>" : inputPath
        let fd = inputPath == "-" ? STDIN_FILENO : open(inputPath, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw Failure(file: inputName, message: "cannot open: \(String(cString: strerror(errno)))") }
        defer { if inputPath != "-" { close(fd) } }

        var sink: ParquetFileSink?
        do {
            let chunkSize = 4 << 20
            var buffer = [UInt8](repeating: 0, count: chunkSize)
            var filled = 0
            var eof = false
            var writer: KsqlParquetWriter?
            while true {
                if !eof && filled < buffer.count {
                    let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, $0.count - filled) }
                    if n < 0 {
                        if errno == EINTR { continue }
                        throw Failure(file: inputName, message: "read failed: \(String(cString: strerror(errno)))")
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
                    let header = try buffer.withUnsafeBytes { p throws(KsqlRowError) in
                        var end = headerEnd
                        if end > 0 && p[end - 1] == 0x0D { end -= 1 }
                        return try KsqlDumpHeader.parse(line: UnsafeRawBufferPointer(rebasing: p[0..<end]), lineNumber: 1)
                    }
                    let s = try ParquetFileSink(path: outputPath)
                    sink = s
                    writer = try KsqlParquetWriter(fields: header.fields, sink: s, options: options, firstLineNumber: 2)
                    consumed = min(headerEnd + 1, usable)
                }
                if let writer, usable > consumed {
                    try buffer.withUnsafeBytes { p in try writer.append(lines: UnsafeRawBufferPointer(rebasing: p[consumed..<usable])) }
                    consumed = usable
                }
                if eof {
                    guard let writer, let sink else {
                        throw Failure(file: inputName, line: 1, column: 1, message: "empty input: expected a query header line")
                    }
                    let summary = try writer.finish()
                    try sink.commit()
                    return summary
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
            sink?.abort()
            throw e
        } catch let e as KsqlRowError {
            sink?.abort()
            throw Failure(file: inputName, line: e.line, column: e.column,
                          message: e.columnName.map { "column \($0): \(e.message)" } ?? e.message)
        } catch let e as ParquetError {
            sink?.abort()
            throw Failure(file: outputPath, message: e.message)
        } catch {
            sink?.abort()
            throw Failure(file: outputPath, message: "\(error)")
        }
    }
}
