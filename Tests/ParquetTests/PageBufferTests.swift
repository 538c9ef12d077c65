import Testing
@testable import Parquet

/// A page's levels and indices live in a `PageBuffer`: growth past its first allocation, runs, the
/// tail dropped after a dictionary fallback and reuse for the next page must keep every value.
struct PageBufferTests {
    @Test func valuesSurviveGrowthRunsAndReuse() {
        var buffer = PageBuffer<UInt32>()
        defer { buffer.deallocate() }
        var expected: [UInt32] = []
        for i in 0..<3000 {
            buffer.append(UInt32(i))
            expected.append(UInt32(i))
        }
        let run = (0..<2500).map { UInt32($0 * 7) }
        run.withUnsafeBufferPointer { buffer.append(contentsOf: $0) }
        expected += run
        buffer.removeLast(11)
        expected.removeLast(11)
        #expect(Array(buffer.values) == expected)
        buffer.removeAll()
        #expect(buffer.count == 0)
        buffer.append(5)
        #expect(Array(buffer.values) == [5])
    }
}
