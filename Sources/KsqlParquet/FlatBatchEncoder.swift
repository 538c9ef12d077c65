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
        var v = first
        switch node.scalar {
        case .boolean:
            for r in rows {
                if c.present[r] { col.append(c.bools[v]); v += 1 } else { col.appendNull(definitionLevel: 0) }
            }
        case .integer, .date, .time, .decimal32:
            for r in rows {
                if c.present[r] { col.append(Int32(truncatingIfNeeded: c.ints[v])); v += 1 } else { col.appendNull(definitionLevel: 0) }
            }
        case .bigint, .timestamp, .decimal64:
            for r in rows {
                if c.present[r] { col.append(c.ints[v]); v += 1 } else { col.appendNull(definitionLevel: 0) }
            }
        case .double:
            for r in rows {
                if c.present[r] { col.append(c.doubles[v]); v += 1 } else { col.appendNull(definitionLevel: 0) }
            }
        case .string, .bytes, .decimalBytes:
            c.arena.withUnsafeBytes { arena in
                for r in rows {
                    if c.present[r] {
                        let lo = v == 0 ? 0 : c.ends[v - 1]
                        col.append(bytes: UnsafeRawBufferPointer(rebasing: arena[lo..<c.ends[v]]))
                        v += 1
                    } else {
                        col.appendNull(definitionLevel: 0)
                    }
                }
            }
        case .none:
            break
        }
        return v
    }
}
