#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import KsqlDBClient
import Parquet

/// Scans the row lines of one Parquet file: numbers them, skips blank lines and token objects, and
/// hands each row's leaf values to a `RowOutput` (or, for a flat schema, parses it into a batch).
final class RowScanner {
    let fields: [KsqlField]
    /// The compiled write plan of each top-level column.
    let plan: [RowPlanNode]
    /// `plan` as trivial values, for the nested path.
    private let roots: UnsafeMutableBufferPointer<Unretained<RowPlanNode>>
    /// Per top-level column, for the flat path: scalar kind, decimal precision/scale, fixed width.
    /// A buffer rather than an `Array`: the flat row loop reads it once a value, and with an `Array`
    /// the flat convert measured 5–8 % slower.
    let flatColumns: UnsafeMutableBufferPointer<FlatColumn>
    /// Number of the next line, for error positions.
    @exclusivity(unchecked) private var nextLineNumber: Int
    @exclusivity(unchecked) var scratch: [UInt8] = []
    @exclusivity(unchecked) var bytesBuffer: [UInt8] = []
    @exclusivity(unchecked) var currentColumn = 0

    /// TIMESTAMP units per millisecond in the file (1, or 1000 for microseconds).
    let timestampScale: Int64

    init(fields: [KsqlField], writer: ParquetWriter, firstLineNumber: Int, timestamps: TimestampPrecision = .millis) {
        self.fields = fields
        timestampScale = timestamps == .micros ? 1000 : 1
        var leaf = 0
        plan = fields.map { RowPlanNode.build($0.type, parentDef: 0, parentRep: 0, nextLeaf: &leaf) }
        for node in plan { node.bind(writer.columns) }
        roots = .allocate(capacity: plan.count)
        _ = roots.initialize(from: plan.map { Unretained($0) })
        flatColumns = .allocate(capacity: plan.count)
        _ = flatColumns.initialize(from: plan.map { FlatColumn(scalar: $0.scalar, precision: $0.precision, scale: $0.scale, width: $0.width) })
        nextLineNumber = firstLineNumber
    }

    deinit {
        roots.deallocate()
        flatColumns.deallocate()
    }

    /// True when every column is scalar (rows can go through `FlatRowBatch`).
    var isFlat: Bool { !plan.isEmpty && plan.allSatisfy { $0.scalar != .none } }

    /// Calls `row` with a cursor on each row of `lines` (`\n`-separated; the last may lack its `\n`).
    /// Blank lines and in-band token objects are skipped; an in-band ksqlDB error object is an error.
    @inline(__always)
    func forEachRow(_ lines: UnsafeRawBufferPointer, _ row: (inout RowCursor) throws -> Void) throws {
        guard let base = lines.baseAddress else { return }
        var start = 0
        let n = lines.count
        while start < n {
            let end = memchr(base + start, 0x0A, n - start).map { UnsafeRawPointer($0) - base } ?? n
            try forOneRow(UnsafeRawBufferPointer(start: base + start, count: end - start), row)
            start = end + 1
        }
    }

    /// `forEachRow` for one line without its `\n` (a trailing `\r` is dropped): what a caller that
    /// split the lines already calls, sparing a second search for the line's end.
    @inline(__always)
    func forOneRow(_ line: UnsafeRawBufferPointer, _ row: (inout RowCursor) throws -> Void) throws {
        var line = line
        if let last = line.last, last == 0x0D { line = UnsafeRawBufferPointer(rebasing: line.dropLast()) }
        var c = RowCursor(line)
        c.skipSpaces()
        if !c.atEnd {
            if c.peek == 0x7B { try checkObject(line, at: c.pos) } else { try row(&c) }
        }
        nextLineNumber += 1
    }

    /// A JSON object instead of a row: a token or unknown object to skip, or an error (ksqlDB's
    /// in-band error, a second header, a line that is not JSON), classified as the client's framer does.
    private func checkObject(_ line: UnsafeRawBufferPointer, at pos: Int) throws {
        let object: KsqlInBandObject?
        do { object = try KsqlInBandObject.classify(line) } catch {
            throw KsqlRowError(line: nextLineNumber, column: pos + 1, columnName: nil, message: error.message)
        }
        switch object {
        case .token?, .unknown?: return
        case .error?:
            throw KsqlRowError(line: nextLineNumber, column: pos + 1, columnName: nil,
                               message: "ksqlDB reported an error in the stream: \(String(decoding: line.prefix(300), as: UTF8.self))")
        case .header?:
            throw KsqlRowError(line: nextLineNumber, column: pos + 1, columnName: nil, message: "a second query header")
        case nil:
            throw KsqlRowError(line: nextLineNumber, column: pos + 1, columnName: nil, message: "a line that is neither a row nor JSON")
        }
    }

    /// Hands each row of `lines` to `out`.
    func write<Output: RowOutput>(lines: UnsafeRawBufferPointer, to out: Output) throws {
        try forEachRow(lines) { c in try writeRow(&c, to: out) }
    }

    /// Hands the row at `c` to `out`, and ends it there.
    @inline(__always)
    func writeRow<Output: RowOutput>(_ c: inout RowCursor, to out: Output) throws {
        do throws(RowCursor.Failure) {
            try c.parseRow(count: plan.count, column: &currentColumn) { (c: inout RowCursor, i: Int) throws(RowCursor.Failure) in
                try roots[i].with { (node: RowPlanNode) throws(RowCursor.Failure) in try write(node, &c, rep: 0, out) }
            }
        } catch {
            throw rowError(error)
        }
        try out.endRow()
    }

    func rowError(_ error: RowCursor.Failure) -> KsqlRowError {
        let name = currentColumn >= 0 && currentColumn < fields.count ? fields[currentColumn].name : nil
        return KsqlRowError(line: nextLineNumber, column: error.offset + 1, columnName: name, message: error.message)
    }

    @inline(__always)
    private func nullLeaves<Output: RowOutput>(_ node: RowPlanNode, def: Int, rep: Int, _ out: Output) {
        for leaf in node.leaves { out.appendNull(leaf: leaf, definitionLevel: def, repetitionLevel: rep) }
    }

    private func write<Output: RowOutput>(_ node: RowPlanNode, _ c: inout RowCursor, rep: Int, _ out: Output) throws(RowCursor.Failure) {
        if node.scalar != .none {
            if c.takeNull() {
                out.appendNull(leaf: node.leaves.lowerBound, definitionLevel: node.def - 1, repetitionLevel: rep)
            } else {
                try writeScalar(node, &c, rep: rep, out)
            }
            return
        }
        if c.takeNull() {
            nullLeaves(node, def: node.def - 1, rep: rep, out)
            return
        }
        let children = node.children
        switch node.shape {
        case .scalar:
            break
        case .array:
            let n = try c.parseElements(object: false, "an ARRAY") { (c: inout RowCursor, i: Int) throws(RowCursor.Failure) in
                try children[0].with { (e: RowPlanNode) throws(RowCursor.Failure) in try write(e, &c, rep: i == 0 ? rep : node.elementRep, out) }
            }
            if n == 0 { nullLeaves(node, def: node.def, rep: rep, out) }
        case .map:
            let n = try c.parseElements(object: true, "a MAP") { (c: inout RowCursor, i: Int) throws(RowCursor.Failure) in
                let r = i == 0 ? rep : node.elementRep
                try children[0].with { (k: RowPlanNode) throws(RowCursor.Failure) in try writeMapKey(k, &c, rep: r, out) }
                try c.expect(0x3A, "':' in a MAP")
                try children[1].with { (v: RowPlanNode) throws(RowCursor.Failure) in try write(v, &c, rep: r, out) }
            }
            if n == 0 { nullLeaves(node, def: node.def, rep: rep, out) }
        case .structure:
            let seen = node.seen
            seen.update(repeating: false)
            var expected = 0
            _ = try c.parseElements(object: true, "a STRUCT") { (c: inout RowCursor, _: Int) throws(RowCursor.Failure) in
                let keyStart = c.pos
                let idx = try c.withString(scratch: &scratch) { (p: UnsafeRawBufferPointer) throws(RowCursor.Failure) -> Int? in
                    Self.fieldIndex(children, p, hint: expected)
                }
                try c.expect(0x3A, "':' in a STRUCT")
                guard let idx else { return try c.skipValue() }
                if seen[idx] { throw c.fail("duplicate STRUCT field", at: keyStart) }
                seen[idx] = true
                try children[idx].with { (f: RowPlanNode) throws(RowCursor.Failure) in try write(f, &c, rep: rep, out) }
                expected = idx + 1
            }
            for i in children.indices where !seen[i] {
                children[i].with { nullLeaves($0, def: $0.def - 1, rep: rep, out) }
            }
        }
    }

    /// The STRUCT field named `key`; fields usually come in order, so `hint` (the one after the last) is
    /// tried first.
    @inline(__always)
    private static func fieldIndex(_ fields: UnsafeMutableBufferPointer<Unretained<RowPlanNode>>, _ key: UnsafeRawBufferPointer, hint: Int) -> Int? {
        if hint < fields.count && fields[hint].with({ $0.isNamed(key, ignoringCase: false) }) { return hint }
        for i in fields.indices where fields[i].with({ $0.isNamed(key, ignoringCase: false) }) { return i }
        for i in fields.indices where fields[i].with({ $0.isNamed(key, ignoringCase: true) }) { return i }
        return nil
    }

    /// MAP keys are JSON strings; for non-STRING key types the string holds the key's literal.
    private func writeMapKey<Output: RowOutput>(_ key: RowPlanNode, _ c: inout RowCursor, rep: Int, _ out: Output) throws(RowCursor.Failure) {
        guard key.shape == .scalar else { throw c.fail("MAP keys must be scalar") }
        if key.scalar == .string {
            try appendString(&c, leaf: key.leaves.lowerBound, rep: rep, out)
            return
        }
        let keyStart = c.pos
        var copy: [UInt8] = []
        if let r = try c.parseString(scratch: &scratch) {
            copy = Array(UnsafeBufferPointer(start: c.base + r.lowerBound, count: r.count))
        } else {
            copy = scratch
        }
        switch key.scalar {
        case .date, .time, .timestamp, .bytes: copy = [0x22] + copy + [0x22]
        default: break
        }
        do throws(RowCursor.Failure) {
            try c.withBytes(copy) { (p: UnsafeRawBufferPointer) throws(RowCursor.Failure) in
                var sub = RowCursor(p)
                try writeScalar(key, &sub, rep: rep, out)
                sub.skipSpaces()
                if !sub.atEnd { throw sub.fail("invalid MAP key") }
            }
        } catch {
            throw c.fail(error.message, at: keyStart)
        }
    }

    /// A JSON string's bytes to `out`; no closure, so nothing is captured and retained around the append.
    @inline(__always)
    private func appendString<Output: RowOutput>(_ c: inout RowCursor, leaf: Int, rep: Int, _ out: Output) throws(RowCursor.Failure) {
        if let r = try c.parseString(scratch: &scratch) {
            out.append(leaf: leaf, bytes: UnsafeRawBufferPointer(start: c.base + r.lowerBound, count: r.count), repetitionLevel: rep)
        } else {
            scratch.withUnsafeBytes { out.append(leaf: leaf, bytes: $0, repetitionLevel: rep) }
        }
    }

    @inline(__always)
    private func writeScalar<Output: RowOutput>(_ node: RowPlanNode, _ c: inout RowCursor, rep: Int, _ out: Output) throws(RowCursor.Failure) {
        let leaf = node.leaves.lowerBound
        switch node.scalar {
        case .boolean: out.append(leaf: leaf, try c.parseBool(), repetitionLevel: rep)
        case .integer:
            out.append(leaf: leaf, Int32(truncatingIfNeeded: try c.parseInteger(min: Int64(Int32.min), max: Int64(Int32.max), typeName: "INTEGER")), repetitionLevel: rep)
        case .bigint: out.append(leaf: leaf, try c.parseInteger(min: .min, max: .max, typeName: "BIGINT"), repetitionLevel: rep)
        case .double: out.append(leaf: leaf, try c.parseDouble(), repetitionLevel: rep)
        case .string: try appendString(&c, leaf: leaf, rep: rep, out)
        case .timestamp: out.append(leaf: leaf, try c.parseTimestamp(perMillisecond: timestampScale), repetitionLevel: rep)
        case .date: out.append(leaf: leaf, try c.parseDate(), repetitionLevel: rep)
        case .time: out.append(leaf: leaf, try c.parseTime(), repetitionLevel: rep)
        case .decimal32:
            out.append(leaf: leaf, Int32(truncatingIfNeeded: try c.parseDecimal(precision: node.precision, scale: node.scale)), repetitionLevel: rep)
        case .decimal64:
            out.append(leaf: leaf, Int64(truncatingIfNeeded: try c.parseDecimal(precision: node.precision, scale: node.scale)), repetitionLevel: rep)
        case .decimalBytes:
            let v = try c.parseDecimal(precision: node.precision, scale: node.scale)
            withUnsafeBytes(of: v.bigEndian) { be in
                out.append(leaf: leaf, bytes: UnsafeRawBufferPointer(rebasing: be[(16 - node.width)...]), repetitionLevel: rep)
            }
        case .bytes:
            try c.parseBase64(into: &bytesBuffer, scratch: &scratch)
            bytesBuffer.withUnsafeBytes { out.append(leaf: leaf, bytes: $0, repetitionLevel: rep) }
        case .none:
            throw c.fail("internal error: compound type in scalar position")
        }
    }
}
