/// Runs of rows in one call, for a columnar source (parsed column batches, Arrow-like buffers): the
/// same pages, dictionary and statistics as value-by-value appends, without a call, a repetition
/// check and a page check per value. Only for columns that do not repeat (every row is a record).
extension ColumnWriter {
    /// Appends `present.count` rows: row `r` takes the next of `values` when `present[r]`, and is
    /// null otherwise. Returns how many values it took. An INT32 column takes each value truncated.
    @discardableResult
    public func append(_ values: UnsafeBufferPointer<Int64>, present: UnsafeBufferPointer<Bool>) -> Int {
        if descriptor.physicalType == .int32 {
            return appendRows(present, values.count) { v in encode(Int32(truncatingIfNeeded: values[v])) }
        }
        return appendRows(present, values.count, plainRun: { run in
            let slice = UnsafeBufferPointer(rebasing: values[run])
            appendPlain(slice)
            statistics.update(slice)
        }) { v in encode(values[v]) }
    }

    @discardableResult
    public func append(_ values: UnsafeBufferPointer<Double>, present: UnsafeBufferPointer<Bool>) -> Int {
        appendRows(present, values.count, plainRun: { run in
            let slice = UnsafeBufferPointer(rebasing: values[run])
            appendPlain(slice)
            for v in slice { statistics.update(v) }
        }) { v in encode(values[v]) }
    }

    /// PLAIN values of 8 bytes, little-endian, in one copy where the machine's order is that.
    @inline(__always)
    private func appendPlain<T: BitwiseCopyable>(_ slice: UnsafeBufferPointer<T>) {
        precondition(MemoryLayout<T>.size == 8)
        #if _endian(little)
        plain.append(contentsOf: UnsafeRawBufferPointer(slice))
        #else
        for v in slice { withUnsafeBytes(of: v) { plain.append(contentsOf: $0.reversed()) } }
        #endif
    }

    /// BYTE_ARRAY (or FIXED_LEN_BYTE_ARRAY) values back to back in `bytes`: value `i` ends at
    /// `ends[i]` and starts where the one before ended (the first at `start`).
    @discardableResult
    public func append(bytes: UnsafeRawBufferPointer, start: Int, ends: UnsafeBufferPointer<Int>, present: UnsafeBufferPointer<Bool>) -> Int {
        appendRows(present, ends.count) { v in
            let lo = v == 0 ? start : ends[v - 1]
            let hi = ends[v]
            precondition(lo >= 0 && lo <= hi && hi <= bytes.count, "a value outside its bytes")
            encode(bytes: UnsafeRawBufferPointer(rebasing: bytes[lo..<hi]))
        }
    }

    /// Levels for each row, and `value(k)` for the k-th present one. Pages are checked where the
    /// value-by-value path checks them: every 1024 levels, and right after the dictionary passed its
    /// limit (so that the fallback to PLAIN starts at the same value).
    @inline(__always)
    private func appendRows(_ present: UnsafeBufferPointer<Bool>, _ available: Int, _ value: (Int) -> Void) -> Int {
        appendRows(present, available, plain: false, plainRun: { _ in }, value)
    }

    /// With `plainRun`, a run of rows on a PLAIN page hands its values over at once: no dictionary
    /// can fall back there, so nothing stops the run before its end.
    @inline(__always)
    private func appendRows(_ present: UnsafeBufferPointer<Bool>, _ available: Int, plainRun: (Range<Int>) -> Void,
                            _ value: (Int) -> Void) -> Int {
        appendRows(present, available, plain: true, plainRun: plainRun, value)
    }

    @inline(__always)
    private func appendRows(_ present: UnsafeBufferPointer<Bool>, _ available: Int, plain runs: Bool,
                            plainRun: (Range<Int>) -> Void, _ value: (Int) -> Void) -> Int {
        precondition(!hasRep, "batch appends are for columns that do not repeat")
        let n = present.count
        var r = 0
        var v = 0
        while r < n {
            if levelCount >= nextPageCheck || fallbackPending { checkPage() }
            let first = r
            let firstValue = v
            let end = Swift.min(n, r + Swift.max(1, nextPageCheck - levelCount))
            // The run's definition levels go in at once; those of rows after a dictionary
            // fallback are taken back out below, since they belong to the next page.
            if hasDef {
                let rows = UnsafeBufferPointer(rebasing: present[first..<end])
                if maxDef == 1 {
                    // A Bool is stored as the byte 0 or 1: the levels themselves.
                    defLevels.append(contentsOf: UnsafeRawBufferPointer(rows).assumingMemoryBound(to: UInt8.self))
                } else {
                    for has in rows { defLevels.append(has ? maxDef : 0) }
                }
            }
            if runs && mode == .plain {
                var k = 0
                for i in first..<end where present[i] { k += 1 }
                precondition(v + k <= available, "fewer values than present rows")
                plainRun(v..<(v + k))
                v += k
                r = end
            }
            while r < end {
                let has = present[r]
                r += 1
                guard has else { continue }
                precondition(v < available, "fewer values than present rows")
                value(v)
                v += 1
                if fallbackPending { break }
            }
            levelCount += r - first
            valueCount += v - firstValue
            if hasDef && r < end { defLevels.removeLast(end - r) }
        }
        return v
    }
}
