/// Splits a query response body into lines as its bytes arrive, and sorts the lines: the header, rows
/// (handed over in batches, pointing into the received bytes), in-band errors, and the legacy `/query`
/// framing (`[`, `,`, `]`, `{"row":{"columns":[…]}}`, `finalMessage`, keep-alive blank lines).
struct KsqlQueryFramer {
    /// Which framing the body uses.
    enum Format: Equatable {
        /// `/query-stream`, `application/vnd.ksqlapi.delimited.v1`: a header object line, then one
        /// `[…]` line per row.
        case delimited
        /// Legacy `/query`: one JSON array of `{"header":…}`, `{"row":…}`, … elements, one per line.
        case legacy
    }

    let format: Format
    /// The longest line (without its newline) accepted; a longer one, complete or still arriving,
    /// fails the query, so a line that never ends cannot grow memory without bound.
    let maxRowBytes: Int
    private(set) var header: KsqlQueryHeader?
    private(set) var finalMessage: String?
    /// Rows handed over so far.
    private(set) var rows = 0
    /// Body bytes received so far.
    private(set) var bytes = 0
    private var lineNumber = 0
    private var work: [UInt8] = []
    private var carry: [UInt8] = []
    /// `carry` holds no newline (it was searched): the next search starts after it.
    private var carrySearched = false
    private var lines: [Range<Int>] = []

    init(format: Format, maxRowBytes: Int = KsqlDBClientConfiguration.defaultMaxRowBytes) {
        self.format = format
        self.maxRowBytes = maxRowBytes
    }

    /// Takes the bytes in `chunk` (leaving it empty, capacity kept, to be reused for the next read),
    /// calls `onHeader` when the header line completes and `onRows` once with the complete row lines.
    mutating func consume(
        _ chunk: inout [UInt8],
        onHeader: (KsqlQueryHeader) throws -> Void,
        onRows: (KsqlRowBatch) throws -> Void
    ) throws {
        bytes += chunk.count
        if carrySearched, !carry.isEmpty, Self.hasNoNewline(chunk) {
            // A long line still arriving: grow it in place, rather than copy it again for every chunk.
            carry.append(contentsOf: chunk)
            chunk.removeAll(keepingCapacity: true)
            if carry.count > maxRowBytes {
                carry = []
                carrySearched = false
                lines.removeAll(keepingCapacity: true)
                throw rowTooLong(line: lineNumber + 1)
            }
            return
        }
        // The line carried from the last chunk is completed on its own, so that the rest of this
        // chunk is framed in place rather than copied behind it (a copy of nearly every body byte:
        // reads rarely end at a line's end).
        var startAt = 0
        if carrySearched, !carry.isEmpty,
           let newline = chunk.withUnsafeBufferPointer({ KsqlJSONScan.index(of: KsqlJSONScan.newline, in: $0, from: 0, to: $0.count) }) {
            try finishCarriedLine(&chunk, through: newline, onHeader: onHeader, onRows: onRows)
            startAt = newline + 1
        }
        // Search only the new bytes for the end of the carried line, not the carry again.
        let searchFrom = carrySearched ? carry.count : 0
        var buffer: [UInt8] = []
        swap(&buffer, &work)
        if carry.isEmpty {
            swap(&buffer, &chunk)
        } else {
            buffer.removeAll(keepingCapacity: true)
            buffer.append(contentsOf: carry)
            buffer.append(contentsOf: chunk)
        }
        chunk.removeAll(keepingCapacity: true)
        lines.removeAll(keepingCapacity: true)

        var failure: (any Error)?
        let consumed = buffer.withUnsafeBufferPointer { buf -> Int in
            var start = startAt
            while let newline = KsqlJSONScan.index(of: KsqlJSONScan.newline, in: buf, from: Swift.max(start, searchFrom),
                                                   to: buf.count) {
                do {
                    try handleLine(buf, start, newline, onHeader: onHeader)
                } catch {
                    failure = error
                    break
                }
                start = newline + 1
            }
            return start
        }
        carry.removeAll(keepingCapacity: true)
        if failure == nil, buffer.count - consumed > maxRowBytes {
            // The line still arriving is already over the limit: fail now rather than wait for its end.
            carry = []
            failure = rowTooLong(line: lineNumber + 1)
        } else {
            carry.append(contentsOf: buffer[consumed...])
        }
        carrySearched = failure == nil
        // Rows before a failing line are handed over first, whatever the chunking, then the error.
        try deliver(buffer, onRows: onRows)
        swap(&buffer, &work)
        if let failure { throw failure }
    }

    /// Frames the carried line completed by `chunk[...newline]` and hands it over as a batch of its
    /// own. On an error the carry keeps that line and the rest of the chunk, as `consume` would.
    private mutating func finishCarriedLine(
        _ chunk: inout [UInt8], through newline: Int,
        onHeader: (KsqlQueryHeader) throws -> Void,
        onRows: (KsqlRowBatch) throws -> Void
    ) throws {
        carry.append(contentsOf: chunk[...newline])
        lines.removeAll(keepingCapacity: true)
        var failure: (any Error)?
        carry.withUnsafeBufferPointer { buf in
            do {
                try handleLine(buf, 0, buf.count - 1, onHeader: onHeader)
            } catch {
                failure = error
            }
        }
        if let failure {
            carry.append(contentsOf: chunk[(newline + 1)...])
            carrySearched = false
            chunk.removeAll(keepingCapacity: true)
            throw failure
        }
        var line: [UInt8] = []
        swap(&line, &carry)
        try deliver(line, onRows: onRows)
        swap(&line, &carry)
        carry.removeAll(keepingCapacity: true)
    }

    /// Ends the body: a last line without its newline still counts; a body that never sent its header
    /// is malformed.
    mutating func finish(
        onHeader: (KsqlQueryHeader) throws -> Void,
        onRows: (KsqlRowBatch) throws -> Void
    ) throws {
        if !carry.isEmpty {
            let buffer = carry
            carry = []
            lines.removeAll(keepingCapacity: true)
            var failure: (any Error)?
            buffer.withUnsafeBufferPointer { buf in
                do {
                    try handleLine(buf, 0, buf.count, onHeader: onHeader, isLast: true)
                } catch {
                    failure = error
                }
            }
            try deliver(buffer, onRows: onRows)
            if let failure { throw failure }
        }
        guard header != nil else {
            throw KsqlDBError(.malformed, bytes == 0
                ? "ksqlDB ended the query response without sending anything (no header)"
                : "ksqlDB ended the query response without sending its header")
        }
    }

    private static func hasNoNewline(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { KsqlJSONScan.index(of: KsqlJSONScan.newline, in: $0, from: 0, to: $0.count) == nil }
    }

    private mutating func deliver(_ buffer: [UInt8], onRows: (KsqlRowBatch) throws -> Void) throws {
        guard !lines.isEmpty else { return }
        rows += lines.count
        let batch = KsqlRowBatch(bytes: buffer, lines: lines)
        lines = []
        try onRows(batch)
        lines = batch.lines
    }

    private mutating func handleLine(
        _ buf: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int,
        onHeader: (KsqlQueryHeader) throws -> Void, isLast: Bool = false
    ) throws {
        lineNumber += 1
        if to - from > maxRowBytes { throw rowTooLong(line: lineNumber) }
        var lo = from
        var hi = to
        trim(buf, &lo, &hi)
        if lo == hi { return }  // keep-alive or null row
        switch format {
        case .delimited:
            try handleDelimited(buf, lo, hi, onHeader: onHeader, isLast: isLast)
        case .legacy:
            try handleLegacy(buf, lo, hi, onHeader: onHeader)
        }
    }

    private mutating func handleDelimited(
        _ buf: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int,
        onHeader: (KsqlQueryHeader) throws -> Void, isLast: Bool
    ) throws {
        switch buf[lo] {
        case KsqlJSONScan.openBracket:
            guard header != nil else { throw malformed("a row before the header", buf, lo, hi) }
            guard buf[hi - 1] == KsqlJSONScan.closeBracket else { throw malformed("an incomplete row", buf, lo, hi) }
            // A last line without its newline may be cut short in a way that still ends in `]`.
            if isLast, KsqlJSONScan.endOfContainer(in: buf, from: lo, to: hi) != hi {
                throw malformed("an incomplete row", buf, lo, hi)
            }
            lines.append(lo..<hi)
        case KsqlJSONScan.openBrace:
            switch try KsqlInBandObject.classify(UnsafeBufferPointer(rebasing: buf[lo..<hi])) {
            case nil: throw malformed("a line that is not JSON", buf, lo, hi)
            case let .header(parsed)?:
                guard header == nil else { throw malformed("a second header", buf, lo, hi) }
                header = parsed
                try onHeader(parsed)
            case let .error(code, message)?: throw midStream(code: code, message: message)
            case .token?: return
            case .unknown?: throw malformed("an unknown object", buf, lo, hi)
            }
        default:
            throw malformed("a line that is neither a row nor an object", buf, lo, hi)
        }
    }

    private mutating func handleLegacy(
        _ buf: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int,
        onHeader: (KsqlQueryHeader) throws -> Void
    ) throws {
        var lo = from
        var hi = to
        // The array's own punctuation: `[` before the first element, `,` after each, `]` after the last.
        if buf[lo] == KsqlJSONScan.openBracket { lo += 1; trim(buf, &lo, &hi) }
        if lo < hi, buf[hi - 1] == KsqlJSONScan.comma { hi -= 1; trim(buf, &lo, &hi) }
        if lo < hi, buf[hi - 1] == KsqlJSONScan.closeBracket, hi - 1 == lo || buf[hi - 2] == KsqlJSONScan.closeBrace {
            hi -= 1
            trim(buf, &lo, &hi)
        }
        if lo == hi { return }
        guard buf[lo] == KsqlJSONScan.openBrace else { throw malformed("a line that is not an element", buf, from, to) }

        if KsqlJSONScan.hasPrefix(Self.rowPrefix, in: buf, from: lo, to: hi) {
            guard header != nil else { throw malformed("a row before the header", buf, from, to) }
            guard let key = KsqlJSONScan.index(of: Self.columnsKey, in: buf, from: lo, to: hi) else {
                throw malformed("a row without columns", buf, from, to)
            }
            var start = key + Self.columnsKey.count
            while start < hi, KsqlJSONScan.isSpace(buf[start]) || buf[start] == KsqlJSONScan.colon { start += 1 }
            guard start < hi, buf[start] == KsqlJSONScan.openBracket,
                  let end = KsqlJSONScan.endOfContainer(in: buf, from: start, to: hi) else {
                throw malformed("a row whose columns are not an array", buf, from, to)
            }
            // Table push deletions; the delimited format drops them too.
            if KsqlJSONScan.index(of: Self.tombstone, in: buf, from: end, to: hi) != nil { return }
            lines.append(start..<end)
            return
        }
        guard let element = KsqlWire.decode(KsqlWire.LegacyElement.self, from: buf[lo..<hi]) else {
            throw malformed("a line that is not JSON", buf, from, to)
        }
        if let legacyHeader = element.header {
            guard header == nil else { throw malformed("a second header", buf, from, to) }
            let parsed = try KsqlQueryHeader(queryId: legacyHeader.queryId, legacySchema: legacyHeader.schema)
            header = parsed
            try onHeader(parsed)
        } else if let error = element.errorMessage {
            throw midStream(code: error.errorCode, message: error.message)
        } else if let final = element.finalMessage {
            finalMessage = final
        } else if isToken(buf, lo, hi) {
            return
        } else {
            throw malformed("an unknown element", buf, from, to)
        }
    }

    private static let rowPrefix = Array(#"{"row""#.utf8)
    private static let columnsKey = Array(#""columns""#.utf8)
    private static let tombstone = Array(#""tombstone":true"#.utf8)
    private static let continuationToken = Array(#""continuationToken""#.utf8)
    private static let consistencyToken = Array(#""consistencyToken""#.utf8)

    private func isToken(_ buf: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int) -> Bool {
        KsqlJSONScan.index(of: Self.continuationToken, in: buf, from: lo, to: hi) != nil
            || KsqlJSONScan.index(of: Self.consistencyToken, in: buf, from: lo, to: hi) != nil
    }

    private func trim(_ buf: UnsafeBufferPointer<UInt8>, _ lo: inout Int, _ hi: inout Int) {
        while lo < hi, KsqlJSONScan.isSpace(buf[lo]) { lo += 1 }
        while hi > lo, KsqlJSONScan.isSpace(buf[hi - 1]) { hi -= 1 }
    }

    private func malformed(_ what: String, _ buf: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int) -> KsqlDBError {
        let shown = min(hi - lo, 80)
        var excerpt = String(decoding: UnsafeBufferPointer(rebasing: buf[lo..<(lo + shown)]), as: UTF8.self)
        if shown < hi - lo { excerpt += "…" }
        return KsqlDBError(.malformed,
            "ksqlDB sent a malformed query response: \(what) at line \(lineNumber) of the body: \(excerpt)")
    }

    private func rowTooLong(line: Int) -> KsqlDBError {
        KsqlDBError(.malformed, "ksqlDB sent a row line longer than the limit of \(maxRowBytes) bytes "
            + "(ksqldb.max_row_bytes) at line \(line) of the query response after \(rows + lines.count) rows; "
            + "raise ksqldb.max_row_bytes in lake.yaml if rows this large are expected")
    }

    private func midStream(code: Int?, message: String?) -> KsqlDBError {
        let codeText = code.map { " (error \($0))" } ?? ""
        let text = message.map { ": \($0)" } ?? ""
        return KsqlDBError(.midStream(errorCode: code),
            "ksqlDB failed the query after \(rows + lines.count) rows\(codeText)\(text)")
    }
}
