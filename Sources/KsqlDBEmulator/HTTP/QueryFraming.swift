/// How a query's elements are framed on the wire (notes §4, §5). Each element is one HTTP chunk.
enum QueryFraming {
    /// `/query-stream` default: header object line, then one `[…]` line per row; no end marker.
    case delimited
    /// `/query-stream` with `application/json`: one array, no newlines.
    case jsonArray
    /// `application/vnd.ksql.v1+json` on `/query-stream`, and migrated `/query` (≥ 0.24).
    case streamedRow
    /// Pre-0.24 `/query` (`QueryStreamWriter`): `,\n`-terminated elements, keep-alive blank lines,
    /// trailing comma on stream pulls, error element without the closing `]`.
    case legacy(streamPullFinalMessage: Bool)

    static let midStreamError = "io.confluent.ksql.util.KsqlException: Emulated mid-stream failure (fault injection)"

    func writeHeader(_ query: EmulatorQuery, into buffer: inout [UInt8]) {
        switch self {
        case .delimited:
            writeMetadata(query, into: &buffer)
            buffer.writeInteger(UInt8(ascii: "\n"))
        case .jsonArray:
            buffer.writeInteger(UInt8(ascii: "["))
            writeMetadata(query, into: &buffer)
        case .streamedRow:
            buffer.writeInteger(UInt8(ascii: "["))
            writeStreamedHeader(query, into: &buffer)
        case .legacy:
            buffer.writeInteger(UInt8(ascii: "["))
            writeStreamedHeader(query, into: &buffer)
            if !query.isTablePull { buffer.writeStaticString(",\n") }
        }
    }

    /// A blank line the legacy writer sends while it waits for rows (its disconnect check).
    var keepAlive: StaticString? {
        if case .legacy = self { return "\n" }
        return nil
    }

    func writeRowPrefix(_ query: EmulatorQuery, into buffer: inout [UInt8]) {
        switch self {
        case .delimited: break
        case .jsonArray: buffer.writeInteger(UInt8(ascii: ","))
        case .streamedRow: buffer.writeStaticString(",\n{\"row\":{\"columns\":")
        case .legacy:
            if query.isTablePull { buffer.writeStaticString(",\n") }
            buffer.writeStaticString("{\"row\":{\"columns\":")
        }
    }

    func writeRowSuffix(_ query: EmulatorQuery, into buffer: inout [UInt8]) {
        switch self {
        case .delimited: buffer.writeInteger(UInt8(ascii: "\n"))
        case .jsonArray: break
        case .streamedRow: buffer.writeStaticString("}}")
        case .legacy: buffer.writeStaticString(query.isTablePull ? "}}" : "}},\n")
        }
    }

    /// The in-band error element; after it the response ends (legacy: without `]`).
    func writeError(_ message: String, into buffer: inout [UInt8]) {
        let error = KsqlEntities.genericError(code: 50000, message: message)
        switch self {
        case .delimited:
            error.write(into: &buffer)
            buffer.writeInteger(UInt8(ascii: "\n"))
        case .jsonArray:
            buffer.writeInteger(UInt8(ascii: ","))
            error.write(into: &buffer)
            buffer.writeInteger(UInt8(ascii: "]"))
        case .streamedRow:
            buffer.writeStaticString(",\n{\"errorMessage\":")
            error.write(into: &buffer)
            buffer.writeStaticString("}]")
        case .legacy:
            buffer.writeStaticString("\n{\"errorMessage\":")
            error.write(into: &buffer)
            buffer.writeStaticString("},\n")
        }
    }

    /// The closing element(s) of a finished query; nothing for delimited.
    func writeEnd(_ query: EmulatorQuery, limitReached: Bool, into buffer: inout [UInt8]) {
        let final = limitReached ? "{\"finalMessage\":\"Limit Reached\"}" : "{\"finalMessage\":\"Query Completed\"}"
        switch self {
        case .delimited: break
        case .jsonArray: buffer.writeInteger(UInt8(ascii: "]"))
        case .streamedRow:
            if !query.isTablePull {
                buffer.writeStaticString(",\n")
                buffer.writeString(final)
            }
            buffer.writeInteger(UInt8(ascii: "]"))
        case .legacy(let streamPullFinalMessage):
            if query.isTablePull {
                buffer.writeStaticString("]\n")
            } else if query.isPush || streamPullFinalMessage {
                buffer.writeString(final)
                buffer.writeStaticString("]\n")
            }
        }
    }

    /// A row that is not valid JSON, for the malformed-row fault.
    func writeMalformedRow(_ query: EmulatorQuery, into buffer: inout [UInt8]) {
        writeRowPrefix(query, into: &buffer)
        buffer.writeStaticString("[\"malformed\",1.2.3,{")
        writeRowSuffix(query, into: &buffer)
    }

    private func writeMetadata(_ query: EmulatorQuery, into buffer: inout [UInt8]) {
        EmulatorJSON.object([
            ("queryId", .string(query.queryId)),
            ("columnNames", .array(query.columnNames.map { .string($0) })),
            ("columnTypes", .array(query.columnTypes.map { .string($0.typeString) })),
        ]).write(into: &buffer)
    }

    private func writeStreamedHeader(_ query: EmulatorQuery, into buffer: inout [UInt8]) {
        EmulatorJSON.object([("header", .object([("queryId", .string(query.queryId)), ("schema", .string(query.schemaText))]))])
            .write(into: &buffer)
    }
}
