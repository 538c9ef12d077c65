import Synchronization

/// The emulator's sources and their data, safe to use from any thread. Streams are append-only logs
/// (generated rows, then inserted ones, in offset order); derived tables are recomputed from their
/// stream at query time, so an insert into a stream changes the tables that aggregate it.
package final class EmulatorStore: Sendable {
    /// How a table gets its rows from a stream snapshot (the demo's CTAS aggregates).
    package typealias Derivation = @Sendable (EmulatorStreamSnapshot) -> [EmulatorRow]

    enum Contents: Sendable {
        case stream(generator: (any EmulatorRowGenerator)?, appended: [EmulatorRow])
        case table(rows: [EmulatorRow])
        case derived(from: String, derive: Derivation)
    }

    /// How a stream made by CREATE STREAM … AS SELECT turns a row inserted into its source into its own row
    /// (nil: filtered out).
    package typealias StreamTransform = @Sendable (EmulatorRow) -> EmulatorRow?

    struct Entry: Sendable {
        var schema: EmulatorSourceSchema
        var contents: Contents
        var feed: (source: String, transform: StreamTransform)? = nil
    }

    struct State: Sendable {
        var order: [String] = []
        var entries: [String: Entry] = [:]
    }

    private let state = Mutex(State())

    package init() {}

    /// Adds (or replaces) a stream whose first rows come from `generator`, then `rows`.
    package func addStream(_ schema: EmulatorSourceSchema, generator: (any EmulatorRowGenerator)? = nil, rows: [EmulatorRow] = []) {
        add(Entry(schema: schema, contents: .stream(generator: generator, appended: rows)))
    }

    /// Adds a stream whose generated rows come from `generator` and which, like a persistent CSAS query,
    /// also receives `transform(row)` for every row later inserted into stream `source`.
    package func addDerivedStream(_ schema: EmulatorSourceSchema, generator: (any EmulatorRowGenerator)?, from source: String,
                                  transform: @escaping StreamTransform) {
        add(Entry(schema: schema, contents: .stream(generator: generator, appended: []), feed: (source.uppercased(), transform)))
    }

    /// Adds (or replaces) a table with fixed rows (INSERT upserts by key).
    package func addTable(_ schema: EmulatorSourceSchema, rows: [EmulatorRow]) {
        add(Entry(schema: schema, contents: .table(rows: rows)))
    }

    /// Adds a table computed from stream `source` whenever it is read.
    package func addDerivedTable(_ schema: EmulatorSourceSchema, from source: String, derive: @escaping Derivation) {
        add(Entry(schema: schema, contents: .derived(from: source.uppercased(), derive: derive)))
    }

    private func add(_ entry: Entry) {
        let key = entry.schema.name.uppercased()
        state.withLock { state in
            if state.entries[key] == nil { state.order.append(key) }
            state.entries[key] = entry
        }
    }

    /// Source names in creation order.
    package var sourceNames: [String] {
        state.withLock { state in state.order.compactMap { state.entries[$0]?.schema.name } }
    }

    package func schema(of name: String) -> EmulatorSourceSchema? {
        state.withLock { $0.entries[name.uppercased()]?.schema }
    }

    var schemas: [EmulatorSourceSchema] {
        state.withLock { state in state.order.compactMap { state.entries[$0]?.schema } }
    }

    /// A stream's log as it is now; nil if `name` is not a stream.
    package func snapshot(of name: String) -> EmulatorStreamSnapshot? {
        state.withLock { state in
            guard case .stream(let generator, let appended)? = state.entries[name.uppercased()]?.contents else { return nil }
            return EmulatorStreamSnapshot(generator: generator, appended: appended)
        }
    }

    /// The rows of a stream (offset order) or table (key order), as a query would see them now.
    package func rows(of name: String) throws(EmulatorError) -> [EmulatorRow] {
        guard let schema = schema(of: name) else { throw .badRequest("\(name.uppercased()) does not exist.") }
        if schema.kind == .stream, let snapshot = snapshot(of: name) {
            return (0..<snapshot.count).map { snapshot[$0] }
        }
        return tableRows(of: name) ?? []
    }

    /// The current rows of a table; nil if `name` is not a table.
    func tableRows(of name: String) -> [EmulatorRow]? {
        let found: (Contents, EmulatorStreamSnapshot?)? = state.withLock { state in
            guard let entry = state.entries[name.uppercased()] else { return nil }
            switch entry.contents {
            case .stream: return nil
            case .table: return (entry.contents, nil)
            case .derived(let source, _):
                guard case .stream(let generator, let appended)? = state.entries[source]?.contents else { return (entry.contents, nil) }
                return (entry.contents, EmulatorStreamSnapshot(generator: generator, appended: appended))
            }
        }
        guard let (contents, snapshot) = found else { return nil }
        switch contents {
        case .stream: return nil
        case .table(let rows): return rows
        case .derived(_, let derive):
            guard let snapshot else { return [] }
            return derive(snapshot)
        }
    }

    /// Appends a row to a stream, or upserts it (by key columns) into a plain table.
    /// Streams derived from it receive their transformed copy, as their persistent queries would.
    package func insert(into name: String, row: EmulatorRow) throws(EmulatorError) {
        try state.withLock { state throws(EmulatorError) in
            let key = name.uppercased()
            try Self.insert(row, into: key, state: &state)
            let feeds = state.entries.compactMap { name, entry in entry.feed?.source == key ? (name, entry.feed!.transform) : nil }
            for (derived, transform) in feeds {
                if let derivedRow = transform(row) { try Self.insert(derivedRow, into: derived, state: &state) }
            }
        }
    }

    private static func insert(_ row: EmulatorRow, into key: String, state: inout State) throws(EmulatorError) {
        // Taken out of the dictionary so the row array is uniquely referenced and appends in place.
        guard var entry = state.entries.removeValue(forKey: key) else {
            throw .statement("Cannot insert values into an unknown stream/table: \(key)", statementText: "")
        }
        defer { state.entries[key] = entry }
        guard row.values.count == entry.schema.columns.count else {
            throw .badRequest("expected \(entry.schema.columns.count) values for \(entry.schema.name), got \(row.values.count)")
        }
        switch entry.contents {
        case .stream(let generator, var appended):
            entry.contents = .stream(generator: nil, appended: [])
            appended.append(row)
            entry.contents = .stream(generator: generator, appended: appended)
        case .table(var rows):
            let keyIndexes = entry.schema.columns.indices.filter { entry.schema.columns[$0].isKey }
            if let existing = rows.firstIndex(where: { old in keyIndexes.allSatisfy { old.values[$0] == row.values[$0] } }),
               !keyIndexes.isEmpty {
                rows[existing] = row
            } else {
                rows.append(row)
            }
            entry.contents = .table(rows: rows)
        case .derived:
            throw .statement("Cannot insert into read-only table: \(entry.schema.name). It is derived from a stream; insert into that stream instead.", statementText: "")
        }
    }

    /// Inserts by column name (case-insensitive); absent columns are null; `rowtime` defaults to now.
    package func insert(into name: String, rowtime: Int64? = nil, values: [String: EmulatorValue]) throws(EmulatorError) {
        guard let schema = schema(of: name) else { throw .badRequest("\(name.uppercased()) does not exist.") }
        var row = [EmulatorValue](repeating: .null, count: schema.columns.count)
        for (column, value) in values {
            guard let index = schema.columnIndex(column) else { throw .badRequest("\(schema.name) has no column \(column)") }
            row[index] = value
        }
        try insert(into: name, row: EmulatorRow(rowtime: rowtime ?? EmulatorClock.nowMillis(), values: row))
    }

    /// Runs `INSERT INTO … VALUES …;` statements as /ksql would.
    package func execute(_ sql: String) throws(EmulatorError) {
        for parsed in try SQLParser.parse(sql) {
            guard case .insert(let source, let columns, let values) = parsed.statement else {
                throw .badRequest("EmulatorStore.execute runs INSERT statements only")
            }
            try insertValues(source: source, columns: columns, values: values, statementText: parsed.text)
        }
    }

    func insertValues(source: String, columns: [String]?, values: [SQLExpression], statementText: String) throws(EmulatorError) {
        guard let schema = schema(of: source) else {
            throw .statement("Cannot insert values into an unknown stream/table: \(source)", statementText: statementText)
        }
        let names = columns ?? schema.columns.map(\.name)
        guard names.count == values.count else {
            throw .statement("Expected number columns and values to match: \(names), \(values.count) values", statementText: statementText)
        }
        var row = [EmulatorValue](repeating: .null, count: schema.columns.count)
        var rowtime: Int64?
        for (name, expression) in zip(names, values) {
            if name.uppercased() == "ROWTIME" {
                guard case .int(let millis) = try EmulatorCoercion.value(expression, as: .timestamp, statementText: statementText) else {
                    throw .statement("ROWTIME must not be null", statementText: statementText)
                }
                rowtime = millis
                continue
            }
            guard let index = schema.columnIndex(name) else {
                throw .statement("Column name \(name) does not exist.", statementText: statementText)
            }
            row[index] = try EmulatorCoercion.value(expression, as: schema.columns[index].type, statementText: statementText)
        }
        if rowtime == nil, let column = schema.timestampColumn, let index = schema.columnIndex(column), case .int(let millis) = row[index] {
            rowtime = millis
        }
        do {
            try insert(into: source, row: EmulatorRow(rowtime: rowtime ?? EmulatorClock.nowMillis(), values: row))
        } catch {
            if case .statement(let message, _) = error { throw .statement(message, statementText: statementText) }
            throw error
        }
    }
}
