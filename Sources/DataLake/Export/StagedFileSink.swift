#if canImport(Glibc)
import Glibc
#endif
import Parquet

/// A Parquet sink that writes under the hidden name `.NAME.tmp` next to the target and stays there
/// after `sync()`: the export commits its metadata first and renames afterwards, so a crash can be
/// rolled forward (committed) or back (not committed), never leave a visible partial file.
package final class StagedFileSink: ParquetSink {
    package let finalPath: String
    package let temporaryPath: String
    private var fd: Int32
    private var buffer: [UInt8] = []
    package private(set) var bytesWritten = 0

    package init(finalPath: String, mode: UInt16) throws {
        self.finalPath = finalPath
        temporaryPath = MaintenancePlanner.temporaryName(of: finalPath)
        fd = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode_t(mode))
        if fd < 0 { throw DataLakeError("\(temporaryPath): cannot create: \(String(cString: strerror(errno)))") }
        _ = fchmod(fd, mode_t(mode))
        buffer.reserveCapacity(1 << 20)
    }

    deinit { if fd >= 0 { close(fd) } }

    package func write(_ bytes: UnsafeRawBufferPointer) throws {
        buffer.append(contentsOf: bytes)
        bytesWritten += bytes.count
        if buffer.count >= 1 << 20 { try flush() }
    }

    private func flush() throws {
        var off = 0
        try buffer.withUnsafeBytes { raw in
            while off < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + off, raw.count - off)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw DataLakeError("\(temporaryPath): write failed: \(String(cString: strerror(errno)))")
                }
                off += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and fsyncs the hidden file; it is renamed later by `commit`.
    package func sync() throws {
        try flush()
        if fsync(fd) != 0 { throw DataLakeError("\(temporaryPath): fsync failed: \(String(cString: strerror(errno)))") }
        close(fd)
        fd = -1
    }

    /// Deletes the hidden file (the export failed before its commit).
    package func abort() {
        if fd >= 0 { close(fd); fd = -1 }
        unlink(temporaryPath)
    }
}
