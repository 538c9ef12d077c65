#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a file durably and atomically: bytes go to a hidden temporary file next to the target
/// (`.NAME.tmp-PID`, which readers skip); `commit()` fsyncs it, renames it into place and fsyncs the
/// directory; `abort()` (or deinit without commit) removes it. Nothing half-written is ever visible.
public final class ParquetFileSink: ParquetSink {
    public let path: String
    public let temporaryPath: String
    private var fd: Int32
    private var buffer: [UInt8] = []
    private var done = false

    public init(path: String) throws {
        self.path = path
        let slash = path.lastIndex(of: "/")
        let dir = slash.map { String(path[..<$0]) } ?? "."
        let base = slash.map { String(path[path.index(after: $0)...]) } ?? path
        temporaryPath = (dir.isEmpty ? "" : dir + "/") + "." + base + ".tmp-\(getpid())"
        fd = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if fd < 0 { throw ParquetError("cannot create \(temporaryPath): \(String(cString: strerror(errno)))") }
        buffer.reserveCapacity(1 << 20)
    }

    deinit {
        if !done { abort() }
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        if buffer.count + bytes.count > (1 << 20) { try flush() }
        if bytes.count >= (1 << 20) {
            try writeAll(bytes)
        } else {
            buffer.append(contentsOf: bytes)
        }
    }

    private func flush() throws {
        if buffer.isEmpty { return }
        try buffer.withUnsafeBytes { try writeAll($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        var off = 0
        while off < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + off, bytes.count - off)
            if n < 0 {
                if errno == EINTR { continue }
                throw ParquetError("write to \(temporaryPath) failed: \(String(cString: strerror(errno)))")
            }
            off += n
        }
    }

    /// Makes the file durable under its final name.
    public func commit() throws {
        try flush()
        if fsync(fd) != 0 { throw ParquetError("fsync of \(temporaryPath) failed: \(String(cString: strerror(errno)))") }
        close(fd)
        fd = -1
        if rename(temporaryPath, path) != 0 {
            let e = String(cString: strerror(errno))
            abort()
            throw ParquetError("rename to \(path) failed: \(e)")
        }
        done = true
        let slash = path.lastIndex(of: "/")
        let dir = slash.map { String(path[..<$0]) } ?? "."
        let dfd = open(dir.isEmpty ? "/" : dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dfd >= 0 {
            _ = fsync(dfd)
            close(dfd)
        }
    }

    /// Discards the temporary file.
    public func abort() {
        if fd >= 0 {
            close(fd)
            fd = -1
        }
        if !done { unlink(temporaryPath) }
        done = true
    }
}
