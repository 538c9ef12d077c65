/// A staged local file: written, buffered, under its hidden temporary name; `finish()` fsyncs it and
/// its directory, so that the metadata commit that follows can count on it.
final class LocalStagedFile: StagedObject {
    let path: LakePath
    let temporary: String
    private var fd: Int32
    private var buffer: [UInt8] = []
    private(set) var bytesWritten = 0
    private static let bufferSize = 1 << 20

    init(path: LakePath, temporary: String, mode: UInt16) throws(StorageError) {
        self.path = path
        self.temporary = temporary
        fd = try LocalFiles.openForWriting(temporary, mode: mode)
        buffer.reserveCapacity(Self.bufferSize)
    }

    deinit { if fd >= 0 { LocalFiles.closeQuietly(fd) } }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard fd >= 0 else { throw StorageError(temporary, "written after it was finished") }
        bytesWritten += bytes.count
        if buffer.count + bytes.count > Self.bufferSize { try flush() }
        if bytes.count >= Self.bufferSize {
            try LocalFiles.writeAll(fd, bytes, path: temporary)
        } else {
            buffer.append(contentsOf: bytes)
        }
    }

    private func flush() throws(StorageError) {
        if buffer.isEmpty { return }
        try LocalFiles.writeAll(fd, buffer, path: temporary)
        buffer.removeAll(keepingCapacity: true)
    }

    func finish() throws {
        guard fd >= 0 else { return }
        try flush()
        let descriptor = fd
        fd = -1
        try LocalFiles.syncAndClose(descriptor, path: temporary)
        try LocalFiles.fsyncDirectory(LocalFiles.split(temporary).directory)
    }

    func abort() {
        if fd >= 0 {
            LocalFiles.closeQuietly(fd)
            fd = -1
        }
        try? LocalFiles.remove(temporary)
    }
}
