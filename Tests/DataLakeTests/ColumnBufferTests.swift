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

    /// Flags stored by row number and counted once a row: growing the room between rows keeps every
    /// stored flag, and a row that is never counted leaves the contents as they were.
    @Test func valuesStoredByIndexSurviveGrowthAndCountOnlyWhenSet() {
        let batch = FlatRowBatch(columnCount: 3)
        var expected: [[Bool]] = [[], [], []]
        for row in 0..<5000 {
            if row >= batch.presentCapacity { batch.reservePresent(row + 1) }
            for j in 0..<3 {
                let flag = (row * 7 + j * 3) % 5 != 0
                batch.columns[j].present.store(flag, at: row)
                expected[j].append(flag)
            }
            for j in 0..<3 { batch.columns[j].present.setCount(row + 1) }
        }
        // A half-parsed row: stored, never counted.
        #expect(batch.presentCapacity > 5000)
        batch.columns[0].present.store(!expected[0][4999], at: 5000)
        for j in 0..<3 {
            #expect(batch.columns[j].present.count == 5000)
            #expect(Array(batch.columns[j].present.buffer) == expected[j])
        }
        batch.reset()
        #expect(batch.columns.allSatisfy { $0.present.count == 0 })
    }
}
