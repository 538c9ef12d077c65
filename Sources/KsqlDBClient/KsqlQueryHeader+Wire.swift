extension KsqlQueryHeader {
    /// The header of the delimited `/query-stream` format: `{"queryId":…,"columnNames":[…],"columnTypes":[…]}`.
    init(queryId: String?, columnNames: [String], columnTypes: [String]) throws(KsqlDBError) {
        guard columnNames.count == columnTypes.count else {
            throw KsqlDBError(.malformed, "ksqlDB sent a query header with \(columnNames.count) column names "
                + "but \(columnTypes.count) column types")
        }
        var columns: [KsqlField] = []
        columns.reserveCapacity(columnNames.count)
        for (name, typeText) in zip(columnNames, columnTypes) {
            columns.append(KsqlField(name: name, type: try Self.parseType(typeText, column: name)))
        }
        self.init(queryId: queryId, columns: columns)
    }

    /// The header of the legacy `/query` framing, whose `schema` is one string:
    /// ``"`ID` BIGINT KEY, `VAL` STRUCT<`A` STRING>"``. Key columns carry a trailing `KEY`.
    init(queryId: String?, legacySchema schema: String) throws(KsqlDBError) {
        var columns: [KsqlField] = []
        for part in Self.splitTopLevel(schema) {
            var text = part.trimmingCharacters(in: .whitespaces)
            if text.isEmpty { continue }
            let name: String
            if text.hasPrefix("`") {
                // A back-quoted name; a doubled back-quote stands for one.
                var chars = text.dropFirst()
                var parsed = ""
                while true {
                    guard let c = chars.first else {
                        throw KsqlDBError(.malformed, "ksqlDB sent a query header with an unterminated column name: \(schema)")
                    }
                    chars = chars.dropFirst()
                    if c == "`" {
                        if chars.first == "`" { parsed.append("`"); chars = chars.dropFirst(); continue }
                        break
                    }
                    parsed.append(c)
                }
                name = parsed
                text = String(chars)
            } else {
                let space = text.firstIndex(of: " ") ?? text.endIndex
                name = String(text[..<space])
                text = String(text[space...])
            }
            text = text.trimmingCharacters(in: .whitespaces)
            for marker in [" KEY", " HEADERS"] where text.uppercased().hasSuffix(marker) {
                text = String(text.dropLast(marker.count)).trimmingCharacters(in: .whitespaces)
            }
            columns.append(KsqlField(name: name, type: try Self.parseType(text, column: name)))
        }
        self.init(queryId: queryId, columns: columns)
    }

    private static func parseType(_ text: String, column: String) throws(KsqlDBError) -> KsqlType {
        do {
            return try KsqlType.parse(text)
        } catch {
            throw KsqlDBError(.malformed, "ksqlDB sent an unknown type for column \(column): \(error)")
        }
    }

    /// Splits on commas that are outside `<…>`, `(…)` and back-quotes.
    private static func splitTopLevel(_ text: String) -> [Substring] {
        var parts: [Substring] = []
        var depth = 0
        var quoted = false
        var start = text.startIndex
        for i in text.indices {
            switch text[i] {
            case "`": quoted.toggle()
            case "<", "(": if !quoted { depth += 1 }
            case ">", ")": if !quoted { depth -= 1 }
            case ",":
                if !quoted && depth == 0 {
                    parts.append(text[start..<i])
                    start = text.index(after: i)
                }
            default: break
            }
        }
        parts.append(text[start...])
        return parts
    }
}
