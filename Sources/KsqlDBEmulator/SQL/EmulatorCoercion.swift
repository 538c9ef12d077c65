/// Turns SQL literals into typed values (INSERT VALUES, WHERE constants) and compares values the
/// way ksqlDB's comparison operators do across numeric types.
enum EmulatorCoercion {
    static func value(_ expression: SQLExpression, as type: EmulatorType, statementText: String) throws(EmulatorError) -> EmulatorValue {
        func mismatch(_ what: String) -> EmulatorError {
            .statement("Expected type \(type.typeString) for value \(what)", statementText: statementText)
        }
        switch expression {
        case .literal(.null):
            return .null
        case .negative(let inner):
            switch try value(inner, as: type, statementText: statementText) {
            case .int(let number): return .int(-number)
            case .double(let number): return .double(-number)
            case .decimal(let unscaled, let scale): return .decimal(unscaled: -unscaled, scale: scale)
            default: throw mismatch("-(…)")
            }
        case .literal(.boolean(let flag)):
            guard type == .boolean else { throw mismatch(flag ? "TRUE" : "FALSE") }
            return .boolean(flag)
        case .literal(.number(let text)):
            switch type {
            case .integer, .bigint, .timestamp, .date, .time:
                guard let number = Int64(text) else { throw mismatch(text) }
                if type == .integer, Int32(exactly: number) == nil { throw mismatch(text) }
                return .int(number)
            case .double:
                guard let number = Double(text) else { throw mismatch(text) }
                return .double(number)
            case .decimal(let precision, let scale):
                guard let (unscaled, literalScale) = EmulatorDecimal.parse(Substring(text)) else { throw mismatch(text) }
                let (digits, _) = EmulatorDecimal.rescale(unscaled: unscaled, from: literalScale, to: scale)
                guard digits.magnitude < EmulatorDecimal.powerOfTen(precision).magnitude else { throw mismatch(text) }
                return .decimal(unscaled: digits, scale: Int8(scale))
            case .string:
                return .string(text)
            default:
                throw mismatch(text)
            }
        case .literal(.string(let text)):
            switch type {
            case .string: return .string(text)
            case .timestamp:
                guard let millis = EmulatorCalendar.parseTimestamp(text) else { throw mismatch("'\(text)'") }
                return .int(millis)
            case .date:
                guard let days = EmulatorCalendar.parseDate(text) else { throw mismatch("'\(text)'") }
                return .int(days)
            case .time:
                guard let millis = EmulatorCalendar.parseTime(text) else { throw mismatch("'\(text)'") }
                return .int(millis)
            case .bytes:
                guard let bytes = EmulatorBase64.decode(text) else { throw mismatch("'\(text)'") }
                return .bytes(bytes)
            case .decimal, .double, .integer, .bigint, .boolean:
                if type == .boolean {
                    switch text.uppercased() {
                    case "TRUE": return .boolean(true)
                    case "FALSE": return .boolean(false)
                    default: throw mismatch("'\(text)'")
                    }
                }
                return try value(.literal(.number(text)), as: type, statementText: statementText)
            default: throw mismatch("'\(text)'")
            }
        case .array(let elements):
            guard case .array(let elementType) = type else { throw mismatch("ARRAY[…]") }
            var values: [EmulatorValue] = []
            for element in elements { values.append(try value(element, as: elementType, statementText: statementText)) }
            return .array(values)
        case .map(let entries):
            guard case .map(_, let valueType) = type else { throw mismatch("MAP(…)") }
            var values: [EmulatorMapEntry] = []
            for (keyExpression, valueExpression) in entries {
                guard case .string(let key) = try value(keyExpression, as: .string, statementText: statementText) else { throw mismatch("MAP key") }
                values.append(EmulatorMapEntry(key, try value(valueExpression, as: valueType, statementText: statementText)))
            }
            return .map(values)
        case .structure(let assigned):
            guard case .structure(let fields) = type else { throw mismatch("STRUCT(…)") }
            var values = [EmulatorValue](repeating: .null, count: fields.count)
            for (name, fieldExpression) in assigned {
                guard let index = fields.firstIndex(where: { $0.name == name || $0.name.uppercased() == name.uppercased() }) else {
                    throw mismatch("STRUCT field \(name)")
                }
                values[index] = try value(fieldExpression, as: fields[index].type, statementText: statementText)
            }
            return .structure(values)
        default:
            throw .statement("Only literals are supported in VALUES", statementText: statementText)
        }
    }

    /// Three-way comparison; nil when the values are not comparable (or one is null).
    static func compare(_ lhs: EmulatorValue, _ rhs: EmulatorValue) -> Int? {
        switch (lhs, rhs) {
        case (.int(let a), .int(let b)): return a < b ? -1 : (a == b ? 0 : 1)
        case (.string(let a), .string(let b)): return a < b ? -1 : (a == b ? 0 : 1)
        case (.boolean(let a), .boolean(let b)): return a == b ? 0 : (!a ? -1 : 1)
        case (.decimal(let a, let sa), .decimal(let b, let sb)):
            let scale = Int(max(sa, sb))
            let x = EmulatorDecimal.rescale(unscaled: a, from: Int(sa), to: scale).0
            let y = EmulatorDecimal.rescale(unscaled: b, from: Int(sb), to: scale).0
            return x < y ? -1 : (x == y ? 0 : 1)
        case (.int(let a), .decimal): return compare(.decimal(unscaled: a, scale: 0), rhs)
        case (.decimal, .int(let b)): return compare(lhs, .decimal(unscaled: b, scale: 0))
        case (.bytes(let a), .bytes(let b)): return a == b ? 0 : (a.lexicographicallyPrecedes(b) ? -1 : 1)
        default:
            guard let a = asDouble(lhs), let b = asDouble(rhs) else {
                if lhs.isNull || rhs.isNull { return nil }
                return lhs == rhs ? 0 : nil
            }
            return a < b ? -1 : (a == b ? 0 : 1)
        }
    }

    private static func asDouble(_ value: EmulatorValue) -> Double? {
        switch value {
        case .int(let number): return Double(number)
        case .double(let number): return number
        case .decimal(let unscaled, let scale): return EmulatorDecimal.double(unscaled: unscaled, scale: Int(scale))
        default: return nil
        }
    }
}
