import Parquet

/// Appends parsed flat row batches to the Parquet column writers, column by column, never crossing a
/// row group boundary in one step. Runs on the encoder thread of `KsqlParquetWriter`.
final class FlatBatchEncoder: @unchecked Sendable {
    private let plan: [RowPlanNode]
    private let writer: ParquetWriter

    init(plan: [RowPlanNode], writer: ParquetWriter) {
        self.plan = plan
        self.writer = writer
    }

    func encode(_ b: FlatRowBatch) throws {
        var valueIndex = [Int](repeating: 0, count: plan.count)
        var start = 0
        while start < b.rowCount {
            let n = min(b.rowCount - start, writer.rowsLeftInGroup)
            for j in 0..<plan.count {
                valueIndex[j] = append(b.columns[j], rows: start..<(start + n), from: valueIndex[j], node: plan[j])
            }
            try writer.endRows(n)
            start += n
        }
    }

    /// Appends the rows' values; returns the index of the column's next non-null value.
    private func append(_ c: FlatRowBatch.Column, rows: Range<Int>, from first: Int, node: RowPlanNode) -> Int {
        let col = node.column.unsafelyUnwrapped
        let present = UnsafeBufferPointer(rebasing: c.present.buffer[rows])
        switch node.scalar {
        case .boolean:
            var v = first
            for r in rows {
                if c.present[r] { col.append(c.bools[v]); v += 1 } else { col.appendNull(definitionLevel: 0) }
            }
            return v
        case .integer, .date, .time, .decimal32, .bigint, .timestamp, .decimal64:
            return first + col.append(UnsafeBufferPointer(rebasing: c.ints.buffer[first...]), present: present)
        case .double:
            return first + col.append(UnsafeBufferPointer(rebasing: c.doubles.buffer[first...]), present: present)
        case .string, .bytes, .decimalBytes:
            return c.arena.withUnsafeBytes { arena in
                first + col.append(bytes: arena, start: first == 0 ? 0 : c.ends[first - 1],
                                   ends: UnsafeBufferPointer(rebasing: c.ends.buffer[first...]), present: present)
            }
        case .none:
            return first
        }
    }
}
