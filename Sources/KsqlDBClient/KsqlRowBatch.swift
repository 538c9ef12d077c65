/// Complete row lines of a query response (`[…]` JSON arrays, blank lines removed), sharing one byte
/// buffer. Handed to the consumer batch by batch; the buffer is reused once the batch is dropped.
package struct KsqlRowBatch: Sendable {
    /// The bytes the lines point into (may hold framing around them).
    package let bytes: [UInt8]
    /// Each row's byte range in `bytes`, from its `[` to its `]` inclusive.
    package let lines: [Range<Int>]

    package init(bytes: [UInt8], lines: [Range<Int>]) {
        self.bytes = bytes
        self.lines = lines
    }

    package var count: Int { lines.count }
    package var isEmpty: Bool { lines.isEmpty }

    /// Calls `body` with each row's bytes, in order; the pointer is valid only during the call.
    package func forEachLine(_ body: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        try bytes.withUnsafeBytes { raw in
            for range in lines {
                try body(UnsafeRawBufferPointer(rebasing: raw[range]))
            }
        }
    }

    /// Calls `body` with the bytes of row `index`; the pointer is valid only during the call.
    package func withLine<R>(at index: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try bytes.withUnsafeBytes { raw in try body(UnsafeRawBufferPointer(rebasing: raw[lines[index]])) }
    }

    /// Row `index` as text (tests and messages, not the hot path).
    package func string(at index: Int) -> String {
        String(decoding: bytes[lines[index]], as: UTF8.self)
    }
}
