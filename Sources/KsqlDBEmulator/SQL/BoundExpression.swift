/// A WHERE expression with its columns resolved to row positions and its literals typed by the
/// column they are compared with, so filtering a row does no lookups.
indirect enum BoundExpression {
    enum Operand {
        case column(Int)
        case rowtime
        case constant(EmulatorValue)
    }

    case compare(SQLExpression.Comparison, Operand, Operand)
    case and(BoundExpression, BoundExpression)
    case or(BoundExpression, BoundExpression)
    case not(BoundExpression)
    case isNull(Operand, negated: Bool)
    case constant(Bool?)

    /// False when only ROWTIME and constants are involved, so rows need not be materialized.
    var usesColumns: Bool {
        switch self {
        case .compare(_, let lhs, let rhs):
            if case .column = lhs { return true }
            if case .column = rhs { return true }
            return false
        case .and(let lhs, let rhs), .or(let lhs, let rhs): return lhs.usesColumns || rhs.usesColumns
        case .not(let inner): return inner.usesColumns
        case .isNull(let operand, _):
            if case .column = operand { return true }
            return false
        case .constant: return false
        }
    }

    /// SQL three-valued logic: nil is UNKNOWN.
    func evaluate(_ row: EmulatorRow) -> Bool? {
        switch self {
        case .compare(let comparison, let lhs, let rhs):
            guard let order = EmulatorCoercion.compare(Self.value(lhs, row), Self.value(rhs, row)) else { return nil }
            switch comparison {
            case .equal: return order == 0
            case .notEqual: return order != 0
            case .less: return order < 0
            case .lessOrEqual: return order <= 0
            case .greater: return order > 0
            case .greaterOrEqual: return order >= 0
            }
        case .and(let lhs, let rhs):
            let a = lhs.evaluate(row)
            if a == false { return false }
            let b = rhs.evaluate(row)
            if b == false { return false }
            return (a == nil || b == nil) ? nil : true
        case .or(let lhs, let rhs):
            let a = lhs.evaluate(row)
            if a == true { return true }
            let b = rhs.evaluate(row)
            if b == true { return true }
            return (a == nil || b == nil) ? nil : false
        case .not(let inner):
            return inner.evaluate(row).map { !$0 }
        case .isNull(let operand, let negated):
            return Self.value(operand, row).isNull != negated
        case .constant(let value):
            return value
        }
    }

    private static func value(_ operand: Operand, _ row: EmulatorRow) -> EmulatorValue {
        switch operand {
        case .column(let index): return row.values[index]
        case .rowtime: return .int(row.rowtime)
        case .constant(let value): return value
        }
    }
}
