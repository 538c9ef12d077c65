import Testing
@testable import KsqlParquet

/// Short byte runs are copied with overlapping word loads and stores, not `memcpy`: every length
/// around those words, from every offset of a source, must land byte for byte.
struct ColumnBufferTests {
    @Test func byteRunsOfEveryShortLengthAppendExactly() {
        let source: [UInt8] = (0..<64).map { UInt8(truncatingIfNeeded: $0 * 37 + 11) }
        var buffer = ColumnBuffer<UInt8>()
        defer { buffer.deallocate() }
        var expected: [UInt8] = []
        source.withUnsafeBytes { all in
            for n in 0...40 {
                for offset in stride(from: 0, through: 64 - n, by: 3) {
                    let run = UnsafeRawBufferPointer(rebasing: all[offset..<(offset + n)])
                    buffer.append(contentsOf: run)
                    expected += run
                }
            }
        }
        #expect(buffer.count == expected.count)
        #expect(Array(buffer.buffer) == expected)
    }
}
