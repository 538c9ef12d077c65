/// Resolves a WHERE clause against a source schema into a `BoundExpression`.
struct ExpressionBinder {
    let schema: EmulatorSourceSchema
    let statementText: String

    /// Pseudo columns ksqlDB refuses in pull queries, in the order they were met.
    private(set) var pseudoColumns: [String] = []

    init(schema: EmulatorSourceSchema, statementText: String) {
        self.schema = schema
        self.statementText = statementText
    }

    private func unresolved(_ name: String) -> EmulatorError {
        .statement("WHERE column '\(name)' cannot be resolved.", statementText: statementText)
    }

    mutating func bind(_ expression: SQLExpression) throws(EmulatorError) -> BoundExpression {
        switch expression {
        case .and(let lhs, let rhs): return .and(try bind(lhs), try bind(rhs))
        case .or(let lhs, let rhs): return .or(try bind(lhs), try bind(rhs))
        case .not(let inner): return .not(try bind(inner))
        case .isNull(let inner, let negated):
            return .isNull(try operand(inner, context: nil).0, negated: negated)
        case .between(let subject, let low, let high, let negated):
            let inside = BoundExpression.and(try bind(.compare(.greaterOrEqual, subject, low)),
                                             try bind(.compare(.lessOrEqual, subject, high)))
            return negated ? .not(inside) : inside
        case .compare(let comparison, let lhs, let rhs):
            // Literals take the type of the column on the other side ('2024-01-01' next to ROWTIME is a time).
            let left = try operand(lhs, context: nil)
            let right = try operand(rhs, context: left.1)
            if left.1 == nil, right.1 != nil {
                return .compare(comparison, try operand(lhs, context: right.1).0, right.0)
            }
            return .compare(comparison, left.0, right.0)
        case .literal(.boolean(let flag)):
            return .constant(flag)
        case .column(let name):
            let (bound, type) = try operand(.column(name), context: nil)
            guard type == .boolean else {
                throw .statement("Type error in WHERE expression: Should evaluate to boolean but is \(name) (\(type?.typeString ?? "?")) instead.", statementText: statementText)
            }
            return .compare(.equal, bound, .constant(.boolean(true)))
        default:
            throw .statement("Type error in WHERE expression: Should evaluate to boolean.", statementText: statementText)
        }
    }

    private mutating func operand(_ expression: SQLExpression, context: EmulatorType?) throws(EmulatorError) -> (BoundExpression.Operand, EmulatorType?) {
        switch expression {
        case .column(let name):
            switch name.uppercased() {
            case "ROWTIME" where schema.columnIndex(name) == nil:
                return (.rowtime, .timestamp)
            case "ROWPARTITION" where schema.columnIndex(name) == nil, "ROWOFFSET" where schema.columnIndex(name) == nil:
                pseudoColumns.append(name.uppercased())
                return (.constant(.null), .bigint)
            default:
                guard let index = schema.columnIndex(name) else { throw unresolved(name) }
                return (.column(index), schema.columns[index].type)
            }
        case .literal(.string(let text)):
            switch context {
            case .timestamp?, .date?, .time?, .bytes?:
                return (.constant(try EmulatorCoercion.value(expression, as: context!, statementText: statementText)), nil)
            default:
                return (.constant(.string(text)), nil)
            }
        case .literal(.null):
            return (.constant(.null), nil)
        case .literal(.boolean(let flag)):
            return (.constant(.boolean(flag)), nil)
        case .literal, .negative:
            return (.constant(try numeric(expression)), nil)
        default:
            throw .statement("Unsupported expression in WHERE clause", statementText: statementText)
        }
    }

    private func numeric(_ expression: SQLExpression) throws(EmulatorError) -> EmulatorValue {
        switch expression {
        case .negative(let inner):
            switch try numeric(inner) {
            case .int(let number): return .int(-number)
            case .double(let number): return .double(-number)
            case .decimal(let unscaled, let scale): return .decimal(unscaled: -unscaled, scale: scale)
            default: break
            }
        case .literal(.number(let text)):
            if let number = Int64(text) { return .int(number) }
            if let (unscaled, scale) = EmulatorDecimal.parse(Substring(text)) { return .decimal(unscaled: unscaled, scale: Int8(scale)) }
            if let number = Double(text) { return .double(number) }
        default: break
        }
        throw .statement("Unsupported expression in WHERE clause", statementText: statementText)
    }
}
