/// The flat path: rows of an all-scalar schema parsed straight into a `FlatRowBatch`'s columns.
extension RowScanner {
    /// What the flat path needs of a top-level column, as a trivial value.
    struct FlatColumn {
        var scalar: RowPlanNode.Scalar
        var precision: Int
        var scale: Int
        /// Bytes of a FIXED_LEN_BYTE_ARRAY DECIMAL.
        var width: Int
    }

    /// Parses one row of a flat schema into the batch's column buffers.
    func parseFlat(_ c: inout RowCursor, into b: FlatRowBatch) throws {
        let row = b.rowCount
        if row >= b.presentCapacity { b.reservePresent(row + 1) }
        // The row's loop is written out here rather than given to `RowCursor.parseRow` as a closure:
        // the closure was not inlined, and its call and frame a value were a tenth of the thread.
        let failure: RowCursor.Failure? = b.columns.withUnsafeMutableBufferPointer { cols in
            do throws(RowCursor.Failure) {
                try c.expect(0x5B, "'[' starting a row")
                let count = flatColumns.count
                for j in 0..<count {
                    currentColumn = j
                    try c.startValue(j, of: count)
                    try parseFlatValue(&c, into: &cols[j], flatColumns[j], row: row)
                }
                currentColumn = -1
                try c.endRow(count: count)
            } catch {
                return error
            }
            // Counted only now: a row that fails half-way leaves every column's flags as they were.
            for j in cols.indices { cols[j].present.setCount(row + 1) }
            return nil
        }
        if let failure { throw rowError(failure) }
        b.rowCount += 1
    }

    @inline(__always)
    private func parseFlatValue(_ c: inout RowCursor, into col: inout FlatRowBatch.Column, _ info: FlatColumn, row: Int) throws(RowCursor.Failure) {
        if c.takeNull() {
            col.present.store(false, at: row)
            return
        }
        switch info.scalar {
        case .boolean: col.bools.append(try c.parseBool())
        case .integer: col.ints.append(try c.parseInteger(min: Int64(Int32.min), max: Int64(Int32.max), typeName: "INTEGER"))
        case .bigint: col.ints.append(try c.parseInteger(min: .min, max: .max, typeName: "BIGINT"))
        case .double: col.doubles.append(try c.parseDouble())
        case .timestamp: col.ints.append(try c.parseTimestamp(perMillisecond: timestampScale))
        case .date: col.ints.append(Int64(try c.parseDate()))
        case .time: col.ints.append(Int64(try c.parseTime()))
        case .decimal32, .decimal64:
            col.ints.append(Int64(truncatingIfNeeded: try c.parseDecimal(precision: info.precision, scale: info.scale)))
        case .decimalBytes:
            let v = try c.parseDecimal(precision: info.precision, scale: info.scale)
            withUnsafeBytes(of: v.bigEndian) { be in col.arena.append(contentsOf: UnsafeRawBufferPointer(rebasing: be[(16 - info.width)...])) }
            col.ends.append(col.arena.count)
        case .string:
            // `withString` spelled out: its escaped path goes through a generic `Result`, whose
            // metadata lookup per value an earlier pass measured on this loop.
            if let r = try c.parseString(scratch: &scratch) {
                col.arena.append(contentsOf: UnsafeRawBufferPointer(start: c.base + r.lowerBound, count: r.count))
            } else {
                scratch.withUnsafeBytes { col.arena.append(contentsOf: $0) }
            }
            col.ends.append(col.arena.count)
        case .bytes:
            try c.parseBase64(into: &bytesBuffer, scratch: &scratch)
            bytesBuffer.withUnsafeBytes { col.arena.append(contentsOf: $0) }
            col.ends.append(col.arena.count)
        case .none:
            throw c.fail("internal error: compound type in a flat row")
        }
        col.present.store(true, at: row)
    }
}
