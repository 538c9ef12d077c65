extension FeedSpec {
    /// Decodes `checks:`, a list of one-key mappings (`- not_null: [A, B]`), each with an optional
    /// `severity`; every problem is reported at its node.
    static func decodeChecks(_ node: YAMLNode, decoder: NodeDecoder) -> [QualityCheck] {
        guard case let .sequence(items) = node.kind else {
            decoder.error("\"checks\" must be a list of checks, found \(node.kindName)", at: node)
            return []
        }
        var out: [QualityCheck] = []
        for item in items {
            guard let m = decoder.mapping(item, what: "a check") else { continue }
            let kinds = m.keys.filter { $0 != "severity" }
            m.rejectUnknownKeys(QualityCheck.kinds + ["severity"], in: "check")
            guard kinds.count == 1, let kind = kinds.first, QualityCheck.kinds.contains(kind), let value = m.value(kind) else {
                if kinds.filter({ QualityCheck.kinds.contains($0) }).count > 1 {
                    decoder.error("a check names one of \(QualityCheck.kinds.joined(separator: ", ")); this one names \(kinds.joined(separator: " and "))", at: item)
                } else if kinds.isEmpty {
                    decoder.error("a check names one of \(QualityCheck.kinds.joined(separator: ", "))", at: item)
                }
                continue
            }
            let severity = m.choice("severity", allowed: QualityCheck.Severity.allCases.map(\.rawValue)).flatMap(QualityCheck.Severity.init(rawValue:)) ?? .error
            if let rule = decodeRule(kind, value, decoder: decoder) { out.append(QualityCheck(rule, severity: severity)) }
        }
        return out
    }

    static func decodeRule(_ kind: String, _ value: YAMLNode, decoder: NodeDecoder) -> QualityCheck.Rule? {
        func columns(_ node: YAMLNode, _ what: String) -> [String]? {
            let list: [String]?
            if case .scalar = node.kind { list = decoder.string(node, what: what).map { [$0] } } else { list = decoder.stringList(node, what: what) }
            guard let list, !list.isEmpty else {
                if list != nil { decoder.error("\(what) names at least one column", at: node) }
                return nil
            }
            for c in list where !isValidSourceName(c) {
                decoder.error("\(what): \"\(c)\" is not a column name ([A-Za-z_][A-Za-z0-9_]*)", at: node)
                return nil
            }
            return list
        }
        func number(_ m: MappingReader, _ key: String) -> Double? {
            guard let n = m.value(key) else { return nil }
            guard case let .scalar(text, quoted) = n.kind, !quoted, let v = Double(text.replacingOccurrences(of: "_", with: "")), v.isFinite else {
                decoder.error("\"\(key)\" must be a number, found \(NodeDecoder.describe(n))", at: n)
                return nil
            }
            return v
        }
        switch kind {
        case "not_null": return columns(value, "\"not_null\"").map { .notNull($0) }
        case "unique": return columns(value, "\"unique\"").map { .unique($0) }
        case "accepted_values":
            guard let m = decoder.mapping(value, what: "\"accepted_values\"") else { return nil }
            m.rejectUnknownKeys(["column", "values"], in: "accepted_values")
            guard let c = m.required("column", what: "accepted_values").flatMap({ columns($0, "\"accepted_values.column\"") })?.first,
                  let valuesNode = m.required("values", what: "accepted_values"),
                  let values = decoder.stringList(valuesNode, what: "\"accepted_values.values\"") else { return nil }
            if values.isEmpty { decoder.error("\"accepted_values.values\" lists at least one value", at: valuesNode); return nil }
            return .acceptedValues(column: c, values: values)
        case "range":
            guard let m = decoder.mapping(value, what: "\"range\"") else { return nil }
            m.rejectUnknownKeys(["column", "min", "max"], in: "range")
            guard let c = m.required("column", what: "range").flatMap({ columns($0, "\"range.column\"") })?.first else { return nil }
            let min = number(m, "min"), max = number(m, "max")
            if min == nil && max == nil {
                if !m.has("min") && !m.has("max") { decoder.error("\"range\" needs \"min\", \"max\" or both", at: value) }
                return nil
            }
            if let min, let max, min > max { decoder.error("\"range\": min \(min) is above max \(max)", at: value); return nil }
            return .range(column: c, min: min, max: max)
        case "row_count":
            guard let m = decoder.mapping(value, what: "\"row_count\"") else { return nil }
            m.rejectUnknownKeys(["min", "max"], in: "row_count")
            let min = m.int("min", range: 0...Int.max), max = m.int("max", range: 0...Int.max)
            if min == nil && max == nil {
                if !m.has("min") && !m.has("max") { decoder.error("\"row_count\" needs \"min\", \"max\" or both", at: value) }
                return nil
            }
            if let min, let max, min > max { decoder.error("\"row_count\": min \(min) is above max \(max)", at: value); return nil }
            return .rowCount(min: min, max: max)
        case "freshness":
            guard let m = decoder.mapping(value, what: "\"freshness\"") else { return nil }
            m.rejectUnknownKeys(["max_age_minutes"], in: "freshness")
            guard let minutes = m.required("max_age_minutes", what: "freshness").flatMap({ decoder.int($0, what: "\"max_age_minutes\"", range: 1...5_256_000) }) else { return nil }
            return .freshness(maxAgeMinutes: minutes)
        default:
            return nil
        }
    }

    /// The checks in feed-file form, for records and plans.
    var checksJSON: JSONValue {
        .array(checks.map { check in
            var pairs: [(String, JSONValue)] = []
            switch check.rule {
            case let .notNull(c): pairs.append(("not_null", .array(c.map(JSONValue.string))))
            case let .unique(c): pairs.append(("unique", .array(c.map(JSONValue.string))))
            case let .acceptedValues(c, v): pairs.append(("accepted_values", .object([("column", .string(c)), ("values", .array(v.map(JSONValue.string)))])))
            case let .range(c, min, max):
                var o: [(String, JSONValue)] = [("column", .string(c))]
                if let min { o.append(("min", .double(min))) }
                if let max { o.append(("max", .double(max))) }
                pairs.append(("range", .object(o)))
            case let .rowCount(min, max):
                var o: [(String, JSONValue)] = []
                if let min { o.append(("min", .int(min))) }
                if let max { o.append(("max", .int(max))) }
                pairs.append(("row_count", .object(o)))
            case let .freshness(m): pairs.append(("freshness", .object([("max_age_minutes", .int(m))])))
            }
            if check.severity != .error { pairs.append(("severity", .string(check.severity.rawValue))) }
            return .object(pairs)
        })
    }
}
