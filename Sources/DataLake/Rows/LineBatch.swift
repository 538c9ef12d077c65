/// Row lines copied back to back, each ending in `\n`: the hand-off of nested rows from the calling
/// thread to the row thread of `KsqlParquetWriter`, which scans and encodes them.
final class LineBatch: @unchecked Sendable {
    private(set) var base: UnsafeMutableRawPointer
    private(set) var capacity: Int
    /// Bytes filled.
    var count = 0

    init(capacity: Int) {
        base = .allocate(byteCount: capacity, alignment: 16)
        self.capacity = capacity
    }

    deinit { base.deallocate() }

    var lines: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    /// Makes the (empty) batch hold at least `bytes`: for a line longer than a batch.
    func reserve(_ bytes: Int) {
        guard bytes > capacity else { return }
        base.deallocate()
        base = .allocate(byteCount: bytes, alignment: 16)
        capacity = bytes
    }
}
