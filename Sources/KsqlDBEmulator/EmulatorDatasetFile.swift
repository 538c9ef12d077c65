#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Loads a JSON dataset file (`ksqldb-emulator --data FILE`). The format:
///
/// ```json
/// {"sources": [
///   {"name": "ORDERS", "type": "STREAM", "topic": "orders", "keyFormat": "KAFKA", "valueFormat": "JSON",
///    "timestamp": "ORDER_TIME",
///    "columns": [{"name": "ID", "type": "BIGINT", "key": true},
///                {"name": "AMOUNT", "type": "DECIMAL(10, 2)"},
///                {"name": "ORDER_TIME", "type": "TIMESTAMP"},
///                {"name": "ITEMS", "type": "ARRAY<STRUCT<SKU STRING, QTY INT>>"}],
///    "rows": [{"ROWTIME": 1700000000000, "ID": 1, "AMOUNT": 12.50, "ORDER_TIME": "2023-11-14T22:13:20.000",
///              "ITEMS": [{"SKU": "a", "QTY": 2}]}]}
/// ]}
/// ```
///
/// `type` is STREAM or TABLE; `topic`, formats and `timestamp` are optional. Column types are ksqlDB
/// type strings. Each row is an object by column name (absent columns are null) plus `ROWTIME`
/// (epoch ms or `yyyy-MM-ddTHH:mm:ss[.SSS]`; defaults to the `timestamp` column, else 0). Values:
/// numbers for numeric types (decimals are read exactly), strings for STRING, base64 for BYTES,
/// TIMESTAMP/DATE/TIME as text (`2024-01-31T10:00:00.000`, `2024-01-31`, `10:00:00`) or as numbers
/// (epoch ms, epoch days, ms of day), arrays, objects for MAP and STRUCT. Stream rows keep file order.
package enum EmulatorDatasetFile {
    package static func load(path: String, into store: EmulatorStore) throws(EmulatorError) {
        guard let file = fopen(path, "rb") else { throw .badRequest("\(path): cannot open the dataset file") }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let read = fread(&chunk, 1, chunk.count, file)
            if read <= 0 { break }
            bytes.append(contentsOf: chunk[0..<read])
        }
        try load(json: EmulatorJSON.parse(bytes, origin: path), origin: path, into: store)
    }

    package static func load(json: EmulatorJSON, origin: String, into store: EmulatorStore) throws(EmulatorError) {
        guard case .array(let sources)? = json["sources"] else { throw .badRequest("\(origin): expected {\"sources\": [...]}") }
        for (sourceIndex, source) in sources.enumerated() {
            let place = "\(origin): sources[\(sourceIndex)]"
            guard let name = source["name"]?.stringValue else { throw .badRequest("\(place): missing \"name\"") }
            let kind: EmulatorSourceKind
            switch source["type"]?.stringValue?.uppercased() {
            case "STREAM"?: kind = .stream
            case "TABLE"?: kind = .table
            default: throw .badRequest("\(place): \"type\" must be STREAM or TABLE")
            }
            guard case .array(let columnList)? = source["columns"] else { throw .badRequest("\(place): missing \"columns\"") }
            var columns: [EmulatorColumn] = []
            for column in columnList {
                guard let columnName = column["name"]?.stringValue, let typeText = column["type"]?.stringValue else {
                    throw .badRequest("\(place): each column needs \"name\" and \"type\"")
                }
                let type: EmulatorType
                do { type = try EmulatorType(parsing: typeText) } catch { throw .badRequest("\(place): column \(columnName): \(error)") }
                columns.append(EmulatorColumn(columnName, type, isKey: column["key"] == .bool(true)))
            }
            let timestamp = source["timestamp"]?.stringValue
            let windowType = source["windowType"]?.stringValue?.uppercased()
            if let windowType {
                guard kind == .table, ["TUMBLING", "HOPPING", "SESSION"].contains(windowType) else {
                    throw .badRequest("\(place): \"windowType\" is TUMBLING, HOPPING or SESSION, on a table")
                }
                // A windowed table's rows are keyed by key and window: the bounds follow the key columns.
                let keys = columns.prefix { $0.isKey }.count
                columns.insert(contentsOf: [EmulatorColumn("WINDOWSTART", .bigint, isKey: true, isWindowBound: true),
                                            EmulatorColumn("WINDOWEND", .bigint, isKey: true, isWindowBound: true)], at: keys)
            }
            let schema = EmulatorSourceSchema(
                name: name, kind: kind, columns: columns, topic: source["topic"]?.stringValue,
                keyFormat: source["keyFormat"]?.stringValue ?? "KAFKA", valueFormat: source["valueFormat"]?.stringValue ?? "JSON",
                timestampColumn: timestamp, windowType: windowType)
            var rows: [EmulatorRow] = []
            if case .array(let rowList)? = source["rows"] {
                rows.reserveCapacity(rowList.count)
                for (rowIndex, rowJSON) in rowList.enumerated() {
                    rows.append(try row(rowJSON, schema: schema, place: "\(place).rows[\(rowIndex)]"))
                }
            }
            if kind == .stream { store.addStream(schema, rows: rows) } else { store.addTable(schema, rows: rows) }
        }
    }

    private static func row(_ json: EmulatorJSON, schema: EmulatorSourceSchema, place: String) throws(EmulatorError) -> EmulatorRow {
        guard case .object(let members) = json else { throw .badRequest("\(place): a row must be an object") }
        var values = [EmulatorValue](repeating: .null, count: schema.columns.count)
        var rowtime: Int64?
        for (key, value) in members {
            if key.uppercased() == "ROWTIME", schema.columnIndex(key) == nil {
                guard case .int(let millis) = try EmulatorValue(json: value, type: .timestamp, place: "\(place).ROWTIME") else {
                    throw .badRequest("\(place): ROWTIME must not be null")
                }
                rowtime = millis
                continue
            }
            guard let index = schema.columnIndex(key) else { throw .badRequest("\(place): \(schema.name) has no column \(key)") }
            values[index] = try EmulatorValue(json: value, type: schema.columns[index].type, place: "\(place).\(key)")
        }
        if rowtime == nil, let column = schema.timestampColumn, let index = schema.columnIndex(column), case .int(let millis) = values[index] {
            rowtime = millis
        }
        return EmulatorRow(rowtime: rowtime ?? 0, values: values)
    }
}

extension EmulatorValue {
    /// Reads a dataset-file JSON value as a value of `type`.
    init(json: EmulatorJSON, type: EmulatorType, place: String) throws(EmulatorError) {
        let mismatch = EmulatorError.badRequest("\(place): \(json.rendered) is not a \(type.typeString)")
        switch (json, type) {
        case (.null, _): self = .null
        case (.bool(let flag), .boolean): self = .boolean(flag)
        case (.number(let text), .integer), (.number(let text), .bigint), (.number(let text), .timestamp),
             (.number(let text), .date), (.number(let text), .time):
            guard let number = Int64(text) else { throw mismatch }
            if type == .integer, Int32(exactly: number) == nil { throw mismatch }
            self = .int(number)
        case (.number(let text), .double):
            guard let number = Double(text) else { throw mismatch }
            self = .double(number)
        case (.number(let text), .decimal(let precision, let scale)):
            guard let (unscaled, textScale) = EmulatorDecimal.parse(Substring(text)) else { throw mismatch }
            let digits = EmulatorDecimal.rescale(unscaled: unscaled, from: textScale, to: scale).0
            guard digits.magnitude < EmulatorDecimal.powerOfTen(precision).magnitude else { throw mismatch }
            self = .decimal(unscaled: digits, scale: Int8(scale))
        case (.string(let text), .string): self = .string(text)
        case (.string(let text), .timestamp):
            guard let millis = EmulatorCalendar.parseTimestamp(text) else { throw mismatch }
            self = .int(millis)
        case (.string(let text), .date):
            guard let days = EmulatorCalendar.parseDate(text) else { throw mismatch }
            self = .int(days)
        case (.string(let text), .time):
            guard let millis = EmulatorCalendar.parseTime(text) else { throw mismatch }
            self = .int(millis)
        case (.string(let text), .bytes):
            guard let bytes = EmulatorBase64.decode(text) else { throw mismatch }
            self = .bytes(bytes)
        case (.array(let elements), .array(let elementType)):
            var values: [EmulatorValue] = []
            for (index, element) in elements.enumerated() {
                values.append(try EmulatorValue(json: element, type: elementType, place: "\(place)[\(index)]"))
            }
            self = .array(values)
        case (.object(let members), .map(_, let valueType)):
            var entries: [EmulatorMapEntry] = []
            for (key, member) in members {
                entries.append(EmulatorMapEntry(key, try EmulatorValue(json: member, type: valueType, place: "\(place).\(key)")))
            }
            self = .map(entries)
        case (.object, .structure(let fields)):
            var values: [EmulatorValue] = []
            for field in fields {
                let member = json[field.name] ?? .null
                values.append(try EmulatorValue(json: member, type: field.type, place: "\(place).\(field.name)"))
            }
            self = .structure(values)
        default:
            throw mismatch
        }
    }
}
