/// The leaf values of a batch of nested rows in row order, each with its leaf column and levels: the
/// hand-off from the parsing thread to the encoding thread of `KsqlParquetWriter`, replayed into the
/// column writers exactly as the one-thread path appends them.
///
/// An entry is a 64-bit header (leaf index: bits 0-23, repetition level: 24-39, definition level of a
/// null: 40-55, kind: 56-63) followed by the value: 1, 4 or 8 bytes, or a 32-bit length and the bytes.
final class RowTape: RowOutput, @unchecked Sendable {
    private enum Kind: UInt64 {
        case null, bool, int32, int64, double, bytes, rowEnd
    }

    /// Largest leaf index and level a header holds.
    static let maxLeaf = 1 << 24 - 1
    static let maxLevel = 1 << 16 - 1

    @exclusivity(unchecked) private var base: UnsafeMutableRawPointer
    @exclusivity(unchecked) private var capacity: Int
    /// Bytes used.
    @exclusivity(unchecked) private(set) var count = 0
    /// Rows ended.
    @exclusivity(unchecked) private(set) var rows = 0

    init(capacity: Int) {
        base = .allocate(byteCount: capacity, alignment: 16)
        self.capacity = capacity
    }

    deinit { base.deallocate() }

    func reset() {
        count = 0
        rows = 0
    }

    @inline(__always)
    private func put(_ kind: Kind, leaf: Int, rep: Int, def: Int = 0, payload: Int) {
        if count + 8 + payload > capacity { grow(8 + payload) }
        let header = UInt64(truncatingIfNeeded: leaf) | UInt64(truncatingIfNeeded: rep) << 24
            | UInt64(truncatingIfNeeded: def) << 40 | kind.rawValue << 56
        base.storeBytes(of: header, toByteOffset: count, as: UInt64.self)
        count += 8
    }

    @inline(never)
    private func grow(_ bytes: Int) {
        let bigger = max(capacity * 2, count + bytes)
        let moved = UnsafeMutableRawPointer.allocate(byteCount: bigger, alignment: 16)
        moved.copyMemory(from: base, byteCount: count)
        base.deallocate()
        base = moved
        capacity = bigger
    }

    @inline(__always)
    private func putValue<T: BitwiseCopyable>(_ v: T) {
        base.storeBytes(of: v, toByteOffset: count, as: T.self)
        count += MemoryLayout<T>.size
    }

    @inline(__always)
    func appendNull(leaf: Int, definitionLevel: Int, repetitionLevel: Int) {
        put(.null, leaf: leaf, rep: repetitionLevel, def: definitionLevel, payload: 0)
    }

    @inline(__always)
    func append(leaf: Int, _ v: Bool, repetitionLevel: Int) {
        put(.bool, leaf: leaf, rep: repetitionLevel, payload: 1)
        putValue(v)
    }

    @inline(__always)
    func append(leaf: Int, _ v: Int32, repetitionLevel: Int) {
        put(.int32, leaf: leaf, rep: repetitionLevel, payload: 4)
        putValue(v)
    }

    @inline(__always)
    func append(leaf: Int, _ v: Int64, repetitionLevel: Int) {
        put(.int64, leaf: leaf, rep: repetitionLevel, payload: 8)
        putValue(v)
    }

    @inline(__always)
    func append(leaf: Int, _ v: Double, repetitionLevel: Int) {
        put(.double, leaf: leaf, rep: repetitionLevel, payload: 8)
        putValue(v)
    }

    @inline(__always)
    func append(leaf: Int, bytes: UnsafeRawBufferPointer, repetitionLevel: Int) {
        put(.bytes, leaf: leaf, rep: repetitionLevel, payload: 4 + bytes.count)
        putValue(UInt32(truncatingIfNeeded: bytes.count))
        if let source = bytes.baseAddress { copyShortBytes(base + count, source, bytes.count) }
        count += bytes.count
    }

    @inline(__always)
    func endRow() {
        put(.rowEnd, leaf: 0, rep: 0, payload: 0)
        rows += 1
    }

    /// Appends the rows to `out` entry by entry, ending each row as it was ended here.
    func replay(into out: ColumnRowOutput) throws {
        var p = UnsafeRawPointer(base)
        let end = p + count
        while p < end {
            let header = p.loadUnaligned(as: UInt64.self)
            p += 8
            let leaf = Int(header & 0xFF_FFFF)
            let rep = Int(header >> 24 & 0xFFFF)
            switch Kind(rawValue: header >> 56) {
            case .null:
                out.appendNull(leaf: leaf, definitionLevel: Int(header >> 40 & 0xFFFF), repetitionLevel: rep)
            case .bool:
                out.append(leaf: leaf, p.load(as: Bool.self), repetitionLevel: rep)
                p += 1
            case .int32:
                out.append(leaf: leaf, p.loadUnaligned(as: Int32.self), repetitionLevel: rep)
                p += 4
            case .int64:
                out.append(leaf: leaf, p.loadUnaligned(as: Int64.self), repetitionLevel: rep)
                p += 8
            case .double:
                out.append(leaf: leaf, p.loadUnaligned(as: Double.self), repetitionLevel: rep)
                p += 8
            case .bytes:
                let n = Int(p.loadUnaligned(as: UInt32.self))
                out.append(leaf: leaf, bytes: UnsafeRawBufferPointer(start: p + 4, count: n), repetitionLevel: rep)
                p += 4 + n
            case .rowEnd, nil:
                try out.endRow()
            }
        }
    }
}
