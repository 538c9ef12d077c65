/// A validated SELECT bound to a snapshot of its source's rows: what the header says, which rows
/// match, and how each is rendered.
struct EmulatorQuery {
    enum Projection {
        case column(Int)
        case rowtime
        case rowPartition
        case rowOffset
    }

    let schema: EmulatorSourceSchema
    let isPush: Bool
    let statementText: String
    let queryId: String
    let columnNames: [String]
    let columnTypes: [EmulatorType]
    let keyFlags: [Bool]
    let projection: [Projection]
    /// True when the projection is exactly the source's columns, so rows render without remapping.
    let isIdentity: Bool
    /// True for `SELECT ROWTIME, *` (the exporter's query): generators render it as fast as `SELECT *`.
    let isRowtimeAndIdentity: Bool
    let filter: BoundExpression?
    /// Computed once: a filter on ROWTIME alone is checked without materializing rows.
    private let filterUsesColumns: Bool
    let limit: Int?
    private var stream: EmulatorStreamSnapshot?
    private let tableRows: [EmulatorRow]

    var isTablePull: Bool { schema.kind == .table && !isPush }
    var rowCount: Int { stream?.count ?? tableRows.count }

    func row(at offset: Int) -> EmulatorRow {
        stream.map { $0[offset] } ?? tableRows[offset]
    }

    /// Sees rows appended to the stream since the query started (push queries).
    mutating func refresh(from store: EmulatorStore) {
        if stream != nil, let newer = store.snapshot(of: schema.name) { stream = newer }
    }

    /// Whether the row at `offset` passes the WHERE clause; `row` is filled when the filter needed it.
    func matches(at offset: Int, row: inout EmulatorRow?) -> Bool {
        guard let filter else { return true }
        if filterUsesColumns || stream == nil {
            let full = self.row(at: offset)
            row = full
            return filter.evaluate(full) == true
        }
        return filter.evaluate(EmulatorRow(rowtime: stream!.rowtime(at: offset), values: [])) == true
    }

    /// The `/query` header schema text: "`COL` TYPE[ KEY], …" (KEY only in table pull queries).
    var schemaText: String {
        zip(columnNames, columnTypes).enumerated().map { index, pair in
            "`\(pair.0)` \(pair.1.typeString)" + (isTablePull && keyFlags[index] ? " KEY" : "")
        }.joined(separator: ", ")
    }

    /// Renders the row at `offset`; `row` is the row already materialized for the filter, if any (the
    /// generator's rendering is still the cheaper one).
    func render(offset: Int, row: EmulatorRow?, into buffer: inout [UInt8]) {
        if isIdentity || isRowtimeAndIdentity,
           stream?.renderGenerated(at: offset, withRowtime: isRowtimeAndIdentity, into: &buffer) == true { return }
        let row = row ?? self.row(at: offset)
        if isIdentity {
            buffer.writeRow(row.values, types: columnTypes)
            return
        }
        buffer.writeInteger(UInt8(ascii: "["))
        for index in projection.indices {
            if index > 0 { buffer.writeInteger(UInt8(ascii: ",")) }
            switch projection[index] {
            case .column(let column): buffer.writeValue(row.values[column], type: columnTypes[index], insideStruct: false)
            case .rowtime: buffer.writeDecimalInteger(row.rowtime)
            case .rowPartition: buffer.writeDecimalInteger(0)
            case .rowOffset: buffer.writeDecimalInteger(Int64(offset))
            }
        }
        buffer.writeInteger(UInt8(ascii: "]"))
    }

    /// Validates `select` against the store as ksqlDB would and captures the rows to serve.
    init(_ select: SQLSelect, statementText: String, store: EmulatorStore, queryNumber: UInt64) throws(EmulatorError) {
        guard let schema = store.schema(of: select.source) else {
            throw .statement("\(select.source) does not exist.", statementText: statementText)
        }
        self.schema = schema
        self.isPush = select.emitChanges
        self.statementText = statementText
        self.limit = select.limit
        var names: [String] = []
        var types: [EmulatorType] = []
        var keys: [Bool] = []
        var projection: [Projection] = []
        var pseudoInSelect: [String] = []
        for item in select.items {
            switch item {
            case .all:
                for (index, column) in schema.columns.enumerated() {
                    names.append(column.name)
                    types.append(column.type)
                    keys.append(column.isKey)
                    projection.append(.column(index))
                }
            case .column(let name):
                if let index = schema.columnIndex(name) {
                    names.append(schema.columns[index].name)
                    types.append(schema.columns[index].type)
                    keys.append(schema.columns[index].isKey)
                    projection.append(.column(index))
                    continue
                }
                switch name.uppercased() {
                case "ROWTIME": projection.append(.rowtime); types.append(.bigint)
                case "ROWPARTITION": projection.append(.rowPartition); types.append(.integer); pseudoInSelect.append("ROWPARTITION")
                case "ROWOFFSET": projection.append(.rowOffset); types.append(.bigint); pseudoInSelect.append("ROWOFFSET")
                default: throw .statement("SELECT column '\(name)' cannot be resolved.", statementText: statementText)
                }
                names.append(name.uppercased())
                keys.append(false)
            }
        }
        var binder = ExpressionBinder(schema: schema, statementText: statementText)
        self.filter = try select.filter.map { (expression) throws(EmulatorError) in try binder.bind(expression) }
        self.filterUsesColumns = filter?.usesColumns ?? false
        if !select.emitChanges {
            let suffix = " See https://cnfl.io/queries for more info.\nAdd EMIT CHANGES if you intended to issue a push query."
            if !pseudoInSelect.isEmpty {
                throw .statement("Pull queries don't support the following columns in SELECT clauses: "
                                 + pseudoInSelect.map { "`\($0)`" }.joined(separator: ", ") + suffix, statementText: statementText)
            }
            if !binder.pseudoColumns.isEmpty {
                throw .statement("Pull queries don't support the following columns in WHERE clauses: "
                                 + binder.pseudoColumns.map { "`\($0)`" }.joined(separator: ", ") + suffix, statementText: statementText)
            }
        }
        self.columnNames = names
        self.columnTypes = types
        self.keyFlags = keys
        self.projection = projection
        let areSourceColumns = { (items: ArraySlice<Projection>) in
            items.count == schema.columns.count
                && items.enumerated().allSatisfy { if case .column(let c) = $1 { return c == $0 } else { return false } }
        }
        self.isIdentity = areSourceColumns(projection[...])
        if case .rowtime? = projection.first {
            self.isRowtimeAndIdentity = areSourceColumns(projection.dropFirst())
        } else {
            self.isRowtimeAndIdentity = false
        }
        if schema.kind == .stream {
            self.stream = store.snapshot(of: schema.name)
            self.tableRows = []
        } else {
            self.stream = nil
            self.tableRows = store.tableRows(of: schema.name) ?? []
        }
        if schema.kind == .table && !select.emitChanges {
            self.queryId = "query_\(EmulatorClock.nowMillis())"
        } else {
            // ksqlDB's transient ids end in a random 64-bit number; a mixed counter keeps them unique.
            var mixed = queryNumber &* 0x9E37_79B9_7F4A_7C15
            mixed ^= mixed >> 31
            self.queryId = "transient_\(schema.name)_\(mixed % 9_000_000_000_000_000_000 + 1_000_000_000_000_000_000)"
        }
    }
}
