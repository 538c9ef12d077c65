#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads the footer of a Parquet file (schema, row groups, sizes, encodings, codec, statistics) without
/// reading any data page. Not a full reader.
public enum FooterReader {
    /// Parses the footer from the whole file's bytes.
    public static func read(bytes: [UInt8]) throws(ParquetError) -> FileMetaData {
        guard bytes.count >= 12, Array(bytes[0..<4]) == Array("PAR1".utf8), Array(bytes[(bytes.count - 4)...]) == Array("PAR1".utf8) else {
            throw ParquetError("not a Parquet file (missing PAR1 magic)")
        }
        let n = bytes.count
        let len = Int(bytes[n - 8]) | Int(bytes[n - 7]) << 8 | Int(bytes[n - 6]) << 16 | Int(bytes[n - 5]) << 24
        guard len > 0, len <= n - 12 else { throw ParquetError("corrupt footer length \(len)") }
        return try parse(Array(bytes[(n - 8 - len)..<(n - 8)]))
    }

    /// Parses a serialized FileMetaData.
    public static func parse(_ footer: [UInt8]) throws(ParquetError) -> FileMetaData {
        var r = CompactReader(footer)
        do {
            return try FileMetaData.read(from: &r)
        } catch {
            throw ParquetError("corrupt footer: \(error)")
        }
    }

    /// Reads the footer of the file at `path`, reading only its tail. Error messages leave the path to
    /// the caller.
    public static func read(path: String) throws(ParquetError) -> FileMetaData {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw ParquetError("cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw ParquetError("cannot stat") }
        let size = Int(st.st_size)
        guard size >= 12 else { throw ParquetError("not a Parquet file (too short)") }
        var tail = [UInt8](repeating: 0, count: 8)
        guard readAt(fd, &tail, offset: size - 8), Array(tail[4...]) == Array("PAR1".utf8) else {
            throw ParquetError("not a Parquet file (missing PAR1 magic)")
        }
        var head = [UInt8](repeating: 0, count: 4)
        guard readAt(fd, &head, offset: 0), head == Array("PAR1".utf8) else {
            throw ParquetError("not a Parquet file (missing PAR1 magic)")
        }
        let len = Int(tail[0]) | Int(tail[1]) << 8 | Int(tail[2]) << 16 | Int(tail[3]) << 24
        guard len > 0, len <= size - 12 else { throw ParquetError("corrupt footer length \(len)") }
        var footer = [UInt8](repeating: 0, count: len)
        guard readAt(fd, &footer, offset: size - 8 - len) else { throw ParquetError("short read") }
        return try parse(footer)
    }

    private static func readAt(_ fd: Int32, _ buf: inout [UInt8], offset: Int) -> Bool {
        var done = 0
        while done < buf.count {
            let n = buf.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, $0.count - done, off_t(offset + done)) }
            if n <= 0 { return false }
            done += n
        }
        return true
    }
}
