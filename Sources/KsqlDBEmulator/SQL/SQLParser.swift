/// Parses the SQL subset the emulator understands: LIST/SHOW, DESCRIBE, INSERT … VALUES and
/// SELECT pull/push queries. Every statement must end with `;`, as ksqlDB's grammar requires.
struct SQLParser {
    private let text: String
    private let bytes: [UInt8]
    private let tokens: [SQLToken]
    private var index = 0

    private init(text: String) throws(EmulatorError) {
        self.text = text
        self.bytes = Array(text.utf8)
        self.tokens = try SQLLexer.tokens(text)
    }

    /// Parses one or more `;`-terminated statements.
    static func parse(_ text: String) throws(EmulatorError) -> [SQLParsedStatement] {
        var parser = try SQLParser(text: text)
        var statements: [SQLParsedStatement] = []
        while parser.current.kind != .end {
            let start = parser.current.start
            let statement = try parser.statement()
            guard parser.current.kind == .symbol(";") else { throw parser.failure("expecting ';'") }
            let end = parser.current.end
            parser.index += 1
            let statementText = String(decoding: parser.bytes[start..<end], as: UTF8.self)
            statements.append(SQLParsedStatement(statement: statement, text: statementText))
        }
        return statements
    }

    private var current: SQLToken { tokens[index] }

    private func failure(_ expecting: String) -> EmulatorError {
        let (line, column) = SQLLexer.position(of: current.start, in: bytes)
        let found: String
        switch current.kind {
        case .end: found = "<EOF>"
        default: found = String(decoding: bytes[current.start..<current.end], as: UTF8.self)
        }
        return .statement("line \(line):\(column): Syntax Error\nmismatched input '\(found)' \(expecting)", statementText: text)
    }

    private mutating func accept(_ keyword: String) -> Bool {
        if current.word == keyword { index += 1; return true }
        return false
    }

    private mutating func expect(_ keyword: String) throws(EmulatorError) {
        guard accept(keyword) else { throw failure("expecting '\(keyword)'") }
    }

    private mutating func acceptSymbol(_ symbol: String) -> Bool {
        if current.kind == .symbol(symbol) { index += 1; return true }
        return false
    }

    private mutating func expectSymbol(_ symbol: String) throws(EmulatorError) {
        guard acceptSymbol(symbol) else { throw failure("expecting '\(symbol)'") }
    }

    private mutating func identifier() throws(EmulatorError) -> String {
        guard case .identifier(let name, _) = current.kind else { throw failure("expecting an identifier") }
        index += 1
        return name
    }

    private mutating func sourceKind() throws(EmulatorError) -> EmulatorSourceKind {
        if accept("STREAMS") { return .stream }
        if accept("TABLES") { return .table }
        throw failure("expecting 'STREAMS' or 'TABLES'")
    }

    private mutating func statement() throws(EmulatorError) -> SQLStatement {
        if accept("LIST") || accept("SHOW") {
            let kind = try sourceKind()
            return .list(kind, extended: accept("EXTENDED"))
        }
        if accept("DESCRIBE") {
            if current.word == "STREAMS" || current.word == "TABLES",
               tokens[index + 1].kind == .symbol(";") || tokens[index + 1].word == "EXTENDED" {
                let kind = try sourceKind()
                return .describeAll(kind, extended: accept("EXTENDED"))
            }
            let name = try identifier()
            return .describe(source: name, extended: accept("EXTENDED"))
        }
        if accept("INSERT") {
            try expect("INTO")
            let name = try identifier()
            var columns: [String]?
            if acceptSymbol("(") {
                var names: [String] = []
                repeat { names.append(try identifier()) } while acceptSymbol(",")
                try expectSymbol(")")
                columns = names
            }
            try expect("VALUES")
            try expectSymbol("(")
            var values: [SQLExpression] = []
            repeat { values.append(try expression()) } while acceptSymbol(",")
            try expectSymbol(")")
            return .insert(source: name, columns: columns, values: values)
        }
        if accept("SELECT") {
            return .select(try select())
        }
        throw failure("expecting one of LIST, SHOW, DESCRIBE, INSERT, SELECT")
    }

    private mutating func select() throws(EmulatorError) -> SQLSelect {
        var items: [SQLSelect.Item] = []
        repeat {
            if acceptSymbol("*") { items.append(.all) } else { items.append(.column(try identifier())) }
        } while acceptSymbol(",")
        try expect("FROM")
        let source = try identifier()
        var filter: SQLExpression?
        if accept("WHERE") { filter = try expression() }
        var emitChanges = false
        if accept("EMIT") {
            try expect("CHANGES")
            emitChanges = true
        }
        var limit: Int?
        if accept("LIMIT") {
            let negative = acceptSymbol("-")
            guard case .number(let digits) = current.kind, let value = Int(digits) else { throw failure("expecting an integer") }
            index += 1
            guard !negative else {
                throw .statement("Pull queries don't support negative integers in the LIMIT clause."
                    + " See https://cnfl.io/queries for more info.\nAdd EMIT CHANGES if you intended to issue a push query.", statementText: text)
            }
            limit = value
        }
        return SQLSelect(items: items, source: source, filter: filter, emitChanges: emitChanges, limit: limit)
    }

    // expression := or; or := and (OR and)*; and := not (AND not)*; not := NOT not | predicate
    private mutating func expression() throws(EmulatorError) -> SQLExpression {
        var left = try conjunction()
        while accept("OR") { left = .or(left, try conjunction()) }
        return left
    }

    private mutating func conjunction() throws(EmulatorError) -> SQLExpression {
        var left = try negation()
        while accept("AND") { left = .and(left, try negation()) }
        return left
    }

    private mutating func negation() throws(EmulatorError) -> SQLExpression {
        if accept("NOT") { return .not(try negation()) }
        return try predicate()
    }

    private mutating func predicate() throws(EmulatorError) -> SQLExpression {
        let left = try primary()
        if case .symbol(let symbol) = current.kind {
            let comparison: SQLExpression.Comparison?
            switch symbol {
            case "=": comparison = .equal
            case "<>", "!=": comparison = .notEqual
            case "<": comparison = .less
            case "<=": comparison = .lessOrEqual
            case ">": comparison = .greater
            case ">=": comparison = .greaterOrEqual
            default: comparison = nil
            }
            if let comparison {
                index += 1
                return .compare(comparison, left, try primary())
            }
        }
        if accept("IS") {
            let negated = accept("NOT")
            try expect("NULL")
            return .isNull(left, negated: negated)
        }
        let negated = accept("NOT")
        if accept("BETWEEN") {
            let low = try primary()
            try expect("AND")
            return .between(left, low, try primary(), negated: negated)
        }
        if accept("IN") {
            // x IN (a, b) is x = a OR x = b, as ksqlDB evaluates it.
            try expectSymbol("(")
            var alternatives: [SQLExpression] = []
            repeat { alternatives.append(.compare(.equal, left, try primary())) } while acceptSymbol(",")
            try expectSymbol(")")
            let any = alternatives.dropFirst().reduce(alternatives[0]) { SQLExpression.or($0, $1) }
            return negated ? .not(any) : any
        }
        if negated { throw failure("expecting 'BETWEEN' or 'IN'") }
        return left
    }

    private mutating func primary() throws(EmulatorError) -> SQLExpression {
        switch current.kind {
        case .string(let literal):
            index += 1
            return .literal(.string(literal))
        case .number(let digits):
            index += 1
            return .literal(.number(digits))
        case .symbol("-"):
            index += 1
            return .negative(try primary())
        case .symbol("("):
            index += 1
            let inner = try expression()
            try expectSymbol(")")
            return inner
        case .identifier(let name, let quoted):
            index += 1
            if !quoted {
                switch name {
                case "NULL": return .literal(.null)
                case "TRUE": return .literal(.boolean(true))
                case "FALSE": return .literal(.boolean(false))
                case "ARRAY" where current.kind == .symbol("["):
                    index += 1
                    var elements: [SQLExpression] = []
                    if !acceptSymbol("]") {
                        repeat { elements.append(try expression()) } while acceptSymbol(",")
                        try expectSymbol("]")
                    }
                    return .array(elements)
                case "MAP" where current.kind == .symbol("("):
                    index += 1
                    var entries: [(SQLExpression, SQLExpression)] = []
                    if !acceptSymbol(")") {
                        repeat {
                            let key = try expression()
                            try expectSymbol(":=")
                            entries.append((key, try expression()))
                        } while acceptSymbol(",")
                        try expectSymbol(")")
                    }
                    return .map(entries)
                case "STRUCT" where current.kind == .symbol("("):
                    index += 1
                    var fields: [(String, SQLExpression)] = []
                    if !acceptSymbol(")") {
                        repeat {
                            let field = try identifier()
                            try expectSymbol(":=")
                            fields.append((field, try expression()))
                        } while acceptSymbol(",")
                        try expectSymbol(")")
                    }
                    return .structure(fields)
                default: break
                }
            }
            return .column(name)
        default:
            throw failure("expecting an expression")
        }
    }
}
