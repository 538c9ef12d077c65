/// A WHERE or VALUES expression.
indirect enum SQLExpression: Equatable {
    enum Literal: Equatable {
        case null
        case boolean(Bool)
        case number(String)
        case string(String)
    }

    enum Comparison: String, Equatable {
        case equal = "=", notEqual = "<>", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    }

    case column(String)
    case literal(Literal)
    case negative(SQLExpression)
    case compare(Comparison, SQLExpression, SQLExpression)
    case and(SQLExpression, SQLExpression)
    case or(SQLExpression, SQLExpression)
    case not(SQLExpression)
    case between(SQLExpression, SQLExpression, SQLExpression, negated: Bool)
    case isNull(SQLExpression, negated: Bool)
    case array([SQLExpression])
    case map([(SQLExpression, SQLExpression)])
    case structure([(String, SQLExpression)])

    static func == (lhs: SQLExpression, rhs: SQLExpression) -> Bool {
        switch (lhs, rhs) {
        case (.column(let a), .column(let b)): return a == b
        case (.literal(let a), .literal(let b)): return a == b
        case (.negative(let a), .negative(let b)): return a == b
        case (.compare(let o1, let a1, let b1), .compare(let o2, let a2, let b2)): return o1 == o2 && a1 == a2 && b1 == b2
        case (.and(let a1, let b1), .and(let a2, let b2)), (.or(let a1, let b1), .or(let a2, let b2)): return a1 == a2 && b1 == b2
        case (.not(let a), .not(let b)): return a == b
        case (.between(let a1, let b1, let c1, let n1), .between(let a2, let b2, let c2, let n2)):
            return a1 == a2 && b1 == b2 && c1 == c2 && n1 == n2
        case (.isNull(let a, let n1), .isNull(let b, let n2)): return a == b && n1 == n2
        case (.array(let a), .array(let b)): return a == b
        case (.map(let a), .map(let b)): return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        case (.structure(let a), .structure(let b)): return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }
}
