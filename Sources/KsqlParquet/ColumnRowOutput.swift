import Parquet

/// Puts scanned rows straight into the Parquet column writers: the one-thread path, and the encoder
/// side of the tape.
final class ColumnRowOutput: RowOutput, @unchecked Sendable {
    private let writer: ParquetWriter
    /// The writers by leaf index, as trivial values (the Parquet writer owns them).
    private let columns: UnsafeMutableBufferPointer<Unretained<ColumnWriter>>

    init(writer: ParquetWriter) {
        self.writer = writer
        columns = .allocate(capacity: writer.columns.count)
        _ = columns.initialize(from: writer.columns.map { Unretained($0) })
    }

    deinit { columns.deallocate() }

    @inline(__always)
    func appendNull(leaf: Int, definitionLevel: Int, repetitionLevel: Int) {
        columns[leaf].with { $0.appendNull(definitionLevel: definitionLevel, repetitionLevel: repetitionLevel) }
    }

    @inline(__always)
    func append(leaf: Int, _ v: Bool, repetitionLevel: Int) {
        columns[leaf].with { $0.append(v, repetitionLevel: repetitionLevel) }
    }

    @inline(__always)
    func append(leaf: Int, _ v: Int32, repetitionLevel: Int) {
        columns[leaf].with { $0.append(v, repetitionLevel: repetitionLevel) }
    }

    @inline(__always)
    func append(leaf: Int, _ v: Int64, repetitionLevel: Int) {
        columns[leaf].with { $0.append(v, repetitionLevel: repetitionLevel) }
    }

    @inline(__always)
    func append(leaf: Int, _ v: Double, repetitionLevel: Int) {
        columns[leaf].with { $0.append(v, repetitionLevel: repetitionLevel) }
    }

    @inline(__always)
    func append(leaf: Int, bytes: UnsafeRawBufferPointer, repetitionLevel: Int) {
        columns[leaf].with { $0.append(bytes: bytes, repetitionLevel: repetitionLevel) }
    }

    @inline(__always)
    func endRow() throws {
        try writer.endRow()
    }
}
