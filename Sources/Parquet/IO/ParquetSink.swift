/// Where a `ParquetWriter` sends the file's bytes, in order.
public protocol ParquetSink: AnyObject {
    func write(_ bytes: UnsafeRawBufferPointer) throws
}

/// Collects the file in memory (tests, small files).
public final class ParquetMemorySink: ParquetSink {
    public private(set) var bytes: [UInt8] = []
    public init() {}
    public func write(_ bytes: UnsafeRawBufferPointer) throws { self.bytes.append(contentsOf: bytes) }
}
