import Foundation
import KsqlDBClient
import KsqlParquet

/// The typed path: checks evaluated on the parsed column batches the Parquet writer already holds,
/// one column loop per check, instead of a second scan of each JSON row. Same outcomes as
/// `observe(_:row:)` (a differential test holds both to it); row numbers come from the batch's tags.
extension QualityCheckRunner {
    /// True when an export of `fields` can check on batches: its writers parse every row into a
    /// `FlatRowBatch` (see `KsqlParquetWriter.parsesFlatBatches`), the rows are not routed by the
    /// outcome (quarantine decides per row, before the write), and every `range` reads a number the
    /// batch holds as such (a DECIMAL of more than 18 digits is bytes there: the row path reads it).
    func checksBatches(fields: [KsqlField], quarantine: Bool) -> Bool {
        guard !quarantine, KsqlParquetWriter.parsesFlatBatches(fields) else { return false }
        return compiled.allSatisfy { c in
            guard c.kind == .range else { return true }
            switch c.values.first {
            case .ints, .doubles: return true
            default: return false
            }
        }
    }

    static func values(of type: KsqlType) -> Values {
        switch type {
        case .boolean: return .bools
        case .double: return .doubles
        case let .decimal(precision, scale): return precision <= 18 ? .ints(scale: scale) : .bytes
        case .integer, .bigint, .date, .time, .timestamp: return .ints(scale: 0)
        default: return .bytes
        }
    }

    /// Checks every row of a batch, before the writer encodes it.
    func observe(batch: FlatRowBatch) {
        let n = batch.rowCount
        let tagged = batch.tags.count == n
        let base = rows
        rows += n
        for k in compiled.indices {
            switch compiled[k].kind {
            case .whole: continue
            case .notNull: notNull(k, batch, tagged: tagged, base: base)
            case .range: range(k, batch, tagged: tagged, base: base)
            case .acceptedValues: accepted(k, batch, tagged: tagged, base: base)
            case .unique: unique(k, batch, tagged: tagged, base: base)
            }
        }
    }

    /// Counts a failure of check `k` by row `r` of the batch. Batches of several day files arrive out
    /// of query order, so the smallest row numbers are kept, as the row-by-row path finds them.
    @inline(__always)
    private func fail(_ k: Int, _ batch: FlatRowBatch, _ r: Int, tagged: Bool, base: Int) {
        compiled[k].failed += 1
        let row = tagged ? batch.tags[r] : base + r + 1
        if compiled[k].firstRows.count < Self.examples {
            compiled[k].firstRows.append(row)
            compiled[k].firstRows.sort()
        } else if row < compiled[k].firstRows[Self.examples - 1] {
            compiled[k].firstRows[Self.examples - 1] = row
            compiled[k].firstRows.sort()
        }
    }

    private func notNull(_ k: Int, _ batch: FlatRowBatch, tagged: Bool, base: Int) {
        let indexes = compiled[k].indexes
        if indexes.count == 1 {
            let present = batch.columns[indexes[0]].present
            for r in 0..<batch.rowCount where !present[r] { fail(k, batch, r, tagged: tagged, base: base) }
            return
        }
        for r in 0..<batch.rowCount where indexes.contains(where: { !batch.columns[$0].present[r] }) {
            fail(k, batch, r, tagged: tagged, base: base)
        }
    }

    private func range(_ k: Int, _ batch: FlatRowBatch, tagged: Bool, base: Int) {
        let column = batch.columns[compiled[k].indexes[0]]
        let lo = compiled[k].min, hi = compiled[k].max
        var v = 0
        switch compiled[k].values[0] {
        case let .ints(scale):
            // Divided as the JSON path divides the literal's digits: the same Double for the same text.
            let divisor = Self.powersOfTen[min(scale, Self.powersOfTen.count - 1)]
            for r in 0..<batch.rowCount where column.present[r] {
                let x = scale == 0 ? Double(column.ints[v]) : Double(column.ints[v]) / divisor
                v += 1
                if !(x >= lo && x <= hi) { fail(k, batch, r, tagged: tagged, base: base) }
            }
        case .doubles:
            for r in 0..<batch.rowCount where column.present[r] {
                let x = column.doubles[v]
                v += 1
                if !(x >= lo && x <= hi) { fail(k, batch, r, tagged: tagged, base: base) }
            }
        case .bools, .bytes:
            return // refused when compiled: range needs a number column of 18 digits at most
        }
    }

    private func accepted(_ k: Int, _ batch: FlatRowBatch, tagged: Bool, base: Int) {
        let column = batch.columns[compiled[k].indexes[0]]
        let short = compiled[k].raw.count <= 16
        column.arena.withUnsafeBytes { arena in
            var v = 0
            for r in 0..<batch.rowCount where column.present[r] {
                let lo = v == 0 ? 0 : column.ends[v - 1]
                let value = UnsafeRawBufferPointer(rebasing: arena[lo..<column.ends[v]])
                v += 1
                let candidates = short ? compiled[k].raw : (compiled[k].rawByHash[hasher.hash(value)] ?? [])
                if !candidates.contains(where: { Self.equal($0, value) }) { fail(k, batch, r, tagged: tagged, base: base) }
            }
        }
    }

    @inline(__always)
    private static func equal(_ a: [UInt8], _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        if a.isEmpty { return true }
        return a.withUnsafeBytes { memcmp($0.baseAddress!, b.baseAddress!, b.count) == 0 }
    }

    private func unique(_ k: Int, _ batch: FlatRowBatch, tagged: Bool, base: Int) {
        let indexes = compiled[k].indexes
        let kinds = compiled[k].values
        var cursors = [Int](repeating: 0, count: indexes.count)
        batchHashes.removeAll(keepingCapacity: true)
        batchRows.removeAll(keepingCapacity: true)
        for r in 0..<batch.rowCount {
            // A null is not compared (as the row-by-row path): the row's other values are skipped too.
            var complete = true
            for (n, i) in indexes.enumerated() {
                if batch.columns[i].present[r] { cursors[n] += 1 } else { complete = false }
            }
            guard complete else { continue }
            if indexes.count == 1 {
                batchHashes.append(hashValue(batch.columns[indexes[0]], cursors[0] - 1, kinds[0]))
            } else {
                scratch.removeAll(keepingCapacity: true)
                for (n, i) in indexes.enumerated() { appendValue(batch.columns[i], cursors[n] - 1, kinds[n]) }
                batchHashes.append(scratch.withUnsafeBytes { hasher.hash($0) })
            }
            batchRows.append(r)
        }
        var repeats: [Int] = []
        batchHashes.withUnsafeBufferPointer { hashes in
            compiled[k].seen.insert(hashes) { repeats.append($0) }
        }
        for n in repeats { fail(k, batch, batchRows[n], tagged: tagged, base: base) }
    }

    @inline(__always)
    private func hashValue(_ c: FlatRowBatch.Column, _ v: Int, _ kind: Values) -> UInt64 {
        switch kind {
        case .ints: return withUnsafeBytes(of: c.ints[v]) { hasher.hash($0) }
        case .doubles: return withUnsafeBytes(of: c.doubles[v].bitPattern) { hasher.hash($0) }
        case .bools: return withUnsafeBytes(of: c.bools[v]) { hasher.hash($0) }
        case .bytes:
            let lo = v == 0 ? 0 : c.ends[v - 1]
            return c.arena.withUnsafeBytes { hasher.hash(UnsafeRawBufferPointer(rebasing: $0[lo..<c.ends[v]])) }
        }
    }

    /// The value's bytes after their length, so that two columns' values never run together.
    private func appendValue(_ c: FlatRowBatch.Column, _ v: Int, _ kind: Values) {
        func put(_ bytes: UnsafeRawBufferPointer) {
            withUnsafeBytes(of: UInt32(bytes.count).littleEndian) { scratch.append(contentsOf: $0) }
            scratch.append(contentsOf: bytes)
        }
        switch kind {
        case .ints: withUnsafeBytes(of: c.ints[v]) { put($0) }
        case .doubles: withUnsafeBytes(of: c.doubles[v].bitPattern) { put($0) }
        case .bools: withUnsafeBytes(of: c.bools[v]) { put($0) }
        case .bytes:
            let lo = v == 0 ? 0 : c.ends[v - 1]
            c.arena.withUnsafeBytes { put(UnsafeRawBufferPointer(rebasing: $0[lo..<c.ends[v]])) }
        }
    }
}
