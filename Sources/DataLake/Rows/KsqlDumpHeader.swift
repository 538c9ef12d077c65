/// The first line of a `/query-stream` delimited response:
/// `{"queryId":…,"columnNames":[…],"columnTypes":[…]}`, with the column types parsed.
package struct KsqlDumpHeader: Hashable, Sendable {
    package var queryId: String?
    package var columnNames: [String]
    package var columnTypes: [String]
    package var fields: [KsqlField]

    /// Parses a header line; `lineNumber` only feeds error positions.
    package static func parse(line: UnsafeRawBufferPointer, lineNumber: Int = 1) throws(KsqlRowError) -> KsqlDumpHeader {
        var c = RowCursor(line)
        var scratch: [UInt8] = []
        var queryId: String?
        var names: [String]?
        var types: [String]?
        func err(_ f: RowCursor.Failure) -> KsqlRowError {
            KsqlRowError(line: lineNumber, column: f.offset + 1, columnName: nil, message: "invalid query header: \(f.message)")
        }
        do throws(RowCursor.Failure) {
            try c.expect(0x7B, "'{' starting the query header")
            c.skipSpaces()
            if c.peek == 0x7D {
                c.pos += 1
            } else {
                while true {
                    let key = try c.withString(scratch: &scratch) { (p: UnsafeRawBufferPointer) throws(RowCursor.Failure) in String(decoding: p, as: UTF8.self) }
                    try c.expect(0x3A, "':'")
                    switch key {
                    case "queryId":
                        if !c.takeNull() {
                            queryId = try c.withString(scratch: &scratch) { (p: UnsafeRawBufferPointer) throws(RowCursor.Failure) in String(decoding: p, as: UTF8.self) }
                        }
                    case "columnNames": names = try stringArray(&c, &scratch)
                    case "columnTypes": types = try stringArray(&c, &scratch)
                    default: try c.skipValue()
                    }
                    c.skipSpaces()
                    if c.peek == 0x2C { c.pos += 1; continue }
                    try c.expect(0x7D, "',' or '}'")
                    break
                }
            }
            c.skipSpaces()
            if !c.atEnd { throw c.fail("unexpected bytes after the header object") }
        } catch {
            throw err(error)
        }
        guard let names, let types else {
            if line.first == UInt8(ascii: "{"), line.count > 0, String(decoding: line, as: UTF8.self).contains("error_code") {
                throw KsqlRowError(line: lineNumber, column: 1, columnName: nil,
                                   message: "ksqlDB returned an error: \(String(decoding: line.prefix(300), as: UTF8.self))")
            }
            throw KsqlRowError(line: lineNumber, column: 1, columnName: nil, message: "query header lacks columnNames or columnTypes")
        }
        guard names.count == types.count else {
            throw KsqlRowError(line: lineNumber, column: 1, columnName: nil,
                               message: "query header has \(names.count) column names but \(types.count) column types")
        }
        var fields: [KsqlField] = []
        for (n, t) in zip(names, types) {
            do throws(KsqlTypeParseError) {
                fields.append(KsqlField(name: n, type: try KsqlType.parse(t)))
            } catch {
                throw KsqlRowError(line: lineNumber, column: 1, columnName: n, message: error.description)
            }
        }
        return KsqlDumpHeader(queryId: queryId, columnNames: names, columnTypes: types, fields: fields)
    }

    package static func parse(line: String, lineNumber: Int = 1) throws(KsqlRowError) -> KsqlDumpHeader {
        let bytes = Array(line.utf8)
        let r: Result<KsqlDumpHeader, KsqlRowError> = bytes.withUnsafeBytes { p in
            Result { () throws(KsqlRowError) in try parse(line: p, lineNumber: lineNumber) }
        }
        return try r.get()
    }

    private static func stringArray(_ c: inout RowCursor, _ scratch: inout [UInt8]) throws(RowCursor.Failure) -> [String] {
        try c.expect(0x5B, "'['")
        var out: [String] = []
        c.skipSpaces()
        if c.peek == 0x5D {
            c.pos += 1
            return out
        }
        while true {
            out.append(try c.withString(scratch: &scratch) { (p: UnsafeRawBufferPointer) throws(RowCursor.Failure) in String(decoding: p, as: UTF8.self) })
            c.skipSpaces()
            if c.peek == 0x2C { c.pos += 1; continue }
            try c.expect(0x5D, "',' or ']'")
            return out
        }
    }
}
