import KsqlDBClient
import KsqlParquet

/// Decodes one delimited row line into typed `KsqlValue`s by the header's column types (slow path,
/// for tests and inspection; exports use `KsqlParquetWriter`).
package struct KsqlRowDecoder: Sendable {
    package let fields: [KsqlField]

    package init(fields: [KsqlField]) { self.fields = fields }

    package func decode(line: String, lineNumber: Int = 1) throws(KsqlRowError) -> [KsqlValue] {
        let bytes = Array(line.utf8)
        let r: Result<[KsqlValue], KsqlRowError> = bytes.withUnsafeBytes { p in
            Result { () throws(KsqlRowError) in try decode(line: p, lineNumber: lineNumber) }
        }
        return try r.get()
    }

    package func decode(line: UnsafeRawBufferPointer, lineNumber: Int = 1) throws(KsqlRowError) -> [KsqlValue] {
        var c = RowCursor(line)
        var scratch: [UInt8] = []
        var values: [KsqlValue] = []
        var column = -1
        do throws(RowCursor.Failure) {
            try c.parseRow(count: fields.count, column: &column) { (c: inout RowCursor, i: Int) throws(RowCursor.Failure) in
                values.append(try value(fields[i].type, &c, &scratch))
            }
        } catch {
            throw KsqlRowError(line: lineNumber, column: error.offset + 1, columnName: column >= 0 ? fields[column].name : nil,
                               message: error.message)
        }
        return values
    }

    private func string(_ c: inout RowCursor, _ scratch: inout [UInt8]) throws(RowCursor.Failure) -> String {
        try c.withString(scratch: &scratch) { (p: UnsafeRawBufferPointer) throws(RowCursor.Failure) in String(decoding: p, as: UTF8.self) }
    }

    private func value(_ type: KsqlType, _ c: inout RowCursor, _ scratch: inout [UInt8]) throws(RowCursor.Failure) -> KsqlValue {
        if c.takeNull() { return .null }
        switch type {
        case .boolean: return .boolean(try c.parseBool())
        case .integer: return .integer(Int32(try c.parseInteger(min: Int64(Int32.min), max: Int64(Int32.max), typeName: "INTEGER")))
        case .bigint: return .bigint(try c.parseInteger(min: .min, max: .max, typeName: "BIGINT"))
        case .double: return .double(try c.parseDouble())
        case let .decimal(p, s): return .decimal(try c.parseDecimal(precision: p, scale: s), scale: s)
        case .string: return .string(try string(&c, &scratch))
        case .bytes:
            var out: [UInt8] = []
            try c.parseBase64(into: &out, scratch: &scratch)
            return .bytes(out)
        case .date: return .date(try c.parseDate())
        case .time: return .time(try c.parseTime())
        case .timestamp: return .timestamp(try c.parseTimestamp())
        case let .array(e):
            var out: [KsqlValue] = []
            _ = try c.parseElements(object: false, "an ARRAY") { (c: inout RowCursor, _: Int) throws(RowCursor.Failure) in
                out.append(try value(e, &c, &scratch))
            }
            return .array(out)
        case let .map(k, v):
            var out: [KsqlMapEntry] = []
            _ = try c.parseElements(object: true, "a MAP") { (c: inout RowCursor, _: Int) throws(RowCursor.Failure) in
                let keyStart = c.pos
                let keyText = try string(&c, &scratch)
                let key: KsqlValue
                if k == .string {
                    key = .string(keyText)
                } else {
                    var literal = Array(keyText.utf8)
                    if [.date, .time, .timestamp, .bytes].contains(k) { literal = [0x22] + literal + [0x22] }
                    do throws(RowCursor.Failure) {
                        key = try c.withBytes(literal) { (p: UnsafeRawBufferPointer) throws(RowCursor.Failure) -> KsqlValue in
                            var sub = RowCursor(p)
                            var s: [UInt8] = []
                            let v = try value(k, &sub, &s)
                            sub.skipSpaces()
                            if !sub.atEnd { throw sub.fail("invalid MAP key") }
                            return v
                        }
                    } catch {
                        throw c.fail(error.message, at: keyStart)
                    }
                }
                try c.expect(0x3A, "':' in a MAP")
                out.append(KsqlMapEntry(key: key, value: try value(v, &c, &scratch)))
            }
            return .map(out)
        case let .struct(fields):
            var out = [KsqlValue](repeating: .null, count: fields.count)
            _ = try c.parseElements(object: true, "a STRUCT") { (c: inout RowCursor, _: Int) throws(RowCursor.Failure) in
                let name = try string(&c, &scratch)
                try c.expect(0x3A, "':' in a STRUCT")
                if let i = fields.firstIndex(where: { $0.name == name }) ?? fields.firstIndex(where: { $0.name.lowercased() == name.lowercased() }) {
                    out[i] = try value(fields[i].type, &c, &scratch)
                } else {
                    try c.skipValue()
                }
            }
            return .struct(out)

        }
    }
}
