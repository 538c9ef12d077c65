/// Decodes `YAMLNode` trees into typed specs, collecting every problem as a `Diagnostic` with the
/// node's `file:line:column` instead of stopping at the first one.
package final class NodeDecoder {
    package private(set) var diagnostics: [Diagnostic] = []

    package init() {}

    package func error(_ message: String, at node: YAMLNode) {
        diagnostics.append(Diagnostic(message, at: node.location))
    }

    package func error(_ message: String, at location: SourceLocation) {
        diagnostics.append(Diagnostic(message, at: location))
    }

    /// A reader over a mapping node; reports `what` when the node is not a mapping.
    package func mapping(_ node: YAMLNode, what: String) -> MappingReader? {
        guard case let .mapping(pairs) = node.kind else {
            error("\(what) must be a mapping, found \(node.kindName)", at: node)
            return nil
        }
        return MappingReader(node: node, pairs: pairs, decoder: self)
    }

    // MARK: scalars

    /// A string; a plain number or boolean (`description: 42`) is refused rather than read as its
    /// text, as YAML types it: the file means something else, or wants quotes.
    package func string(_ node: YAMLNode, what: String) -> String? {
        guard let text = scalarText(node, what: what) else { return nil }
        if case .scalar(_, false) = node.kind, let type = Self.plainType(text) {
            error("\(what) must be a string, found the \(type) \(text) (quote it to mean the text: \"\(text)\")", at: node)
            return nil
        }
        return text
    }

    /// Any scalar's text, or an error for null, a list or a mapping.
    private func scalarText(_ node: YAMLNode, what: String) -> String? {
        guard case let .scalar(text, _) = node.kind, !node.isNull else {
            error("\(what) must be a string, found \(node.kindName)", at: node)
            return nil
        }
        return text
    }

    /// "number" or "boolean" for the plain scalars YAML's core schema resolves to those types.
    static func plainType(_ text: String) -> String? {
        if ["true", "True", "TRUE", "false", "False", "FALSE"].contains(text) { return "boolean" }
        if [".inf", "-.inf", "+.inf", ".nan", ".Inf", ".NaN", ".INF", ".NAN"].contains(text) { return "number" }
        var digits = Substring(text)
        if digits.first == "-" || digits.first == "+" { digits = digits.dropFirst() }
        guard let first = digits.first, first.isASCII, first.isNumber || first == "." else { return nil }
        let body = String(digits.filter { $0 != "_" })
        if Int(body) != nil || (Double(body) != nil && body.allSatisfy { $0.isASCII && ($0.isNumber || ".eE+-".contains($0)) }) {
            return "number"
        }
        if body.hasPrefix("0x") || body.hasPrefix("0o"), Int(body.dropFirst(2), radix: body.hasPrefix("0x") ? 16 : 8) != nil { return "number" }
        return nil
    }

    package func int(_ node: YAMLNode, what: String, range: ClosedRange<Int>? = nil) -> Int? {
        guard case let .scalar(text, quoted) = node.kind, !quoted, let value = Int(text.replacingUnderscores()) else {
            error("\(what) must be an integer, found \(Self.describe(node))", at: node)
            return nil
        }
        if let range, !range.contains(value) {
            error("\(what) must be between \(range.lowerBound) and \(range.upperBound), found \(value)", at: node)
            return nil
        }
        return value
    }

    package func bool(_ node: YAMLNode, what: String) -> Bool? {
        if case let .scalar(text, false) = node.kind {
            switch text {
            case "true", "True", "TRUE": return true
            case "false", "False", "FALSE": return false
            default: break
            }
        }
        error("\(what) must be true or false, found \(Self.describe(node))", at: node)
        return nil
    }

    /// One of `allowed` (exact spelling), with a hint for near misses.
    package func choice(_ node: YAMLNode, what: String, allowed: [String]) -> String? {
        guard let text = scalarText(node, what: what) else { return nil }
        if allowed.contains(text) { return text }
        var message = "\(what) must be one of \(allowed.map { "\"\($0)\"" }.joined(separator: ", ")), found \"\(text)\""
        if let hint = Suggestion.closest(to: text, among: allowed) { message += " (did you mean \"\(hint)\"?)" }
        error(message, at: node)
        return nil
    }

    package func stringList(_ node: YAMLNode, what: String) -> [String]? {
        guard case let .sequence(items) = node.kind else {
            error("\(what) must be a list, found \(node.kindName)", at: node)
            return nil
        }
        var out: [String] = []
        for item in items {
            guard let s = string(item, what: "each item of \(what)") else { return nil }
            out.append(s)
        }
        return out
    }

    static func describe(_ node: YAMLNode) -> String {
        switch node.kind {
        case let .scalar(text, quoted):
            if node.isNull { return "null" }
            return quoted ? "the string \"\(text)\"" : "\"\(text)\""
        default: return node.kindName
        }
    }
}

/// The keys of one mapping node, read by name; remembers which keys were read so that `finish`
/// can reject the unknown ones with a "did you mean" hint.
package struct MappingReader {
    package let node: YAMLNode
    let decoder: NodeDecoder
    private var values: [String: YAMLNode] = [:]
    private var keyNodes: [String: YAMLNode] = [:]
    private var order: [String] = []

    init(node: YAMLNode, pairs: [(key: YAMLNode, value: YAMLNode)], decoder: NodeDecoder) {
        self.node = node
        self.decoder = decoder
        for (key, value) in pairs {
            guard case let .scalar(name, _) = key.kind else {
                decoder.error("keys must be strings, found \(key.kindName)", at: key)
                continue
            }
            if let first = keyNodes[name] {
                decoder.error("duplicate key \"\(name)\" (first set at line \(first.location.line))", at: key)
                continue
            }
            values[name] = value
            keyNodes[name] = key
            order.append(name)
        }
    }

    package var keys: [String] { order }

    package func has(_ key: String) -> Bool { values[key] != nil }

    /// The value node for `key`, or nil (and no error) when absent or explicitly null.
    package func value(_ key: String) -> YAMLNode? {
        guard let v = values[key], !v.isNull else { return nil }
        return v
    }

    package func keyLocation(_ key: String) -> SourceLocation? { keyNodes[key]?.location }

    package func required(_ key: String, what: String) -> YAMLNode? {
        if let v = value(key) { return v }
        decoder.error("\(what) is missing the required key \"\(key)\"", at: node)
        return nil
    }

    package func string(_ key: String) -> String? {
        value(key).flatMap { decoder.string($0, what: "\"\(key)\"") }
    }

    package func int(_ key: String, range: ClosedRange<Int>? = nil) -> Int? {
        value(key).flatMap { decoder.int($0, what: "\"\(key)\"", range: range) }
    }

    package func bool(_ key: String) -> Bool? {
        value(key).flatMap { decoder.bool($0, what: "\"\(key)\"") }
    }

    package func choice(_ key: String, allowed: [String]) -> String? {
        value(key).flatMap { decoder.choice($0, what: "\"\(key)\"", allowed: allowed) }
    }

    package func mapping(_ key: String) -> MappingReader? {
        value(key).flatMap { decoder.mapping($0, what: "\"\(key)\"") }
    }

    /// Reports every key not in `known`, suggesting the closest known key.
    package func rejectUnknownKeys(_ known: [String], in what: String) {
        for key in order where !known.contains(key) {
            var message = "unknown key \"\(key)\" in \(what)"
            if let hint = Suggestion.closest(to: key, among: known) { message += " (did you mean \"\(hint)\"?)" }
            decoder.error(message, at: keyNodes[key]!)
        }
    }
}

extension String {
    /// YAML 1.1 allows `1_000` in integers.
    fileprivate func replacingUnderscores() -> String {
        contains("_") ? String(filter { $0 != "_" }) : self
    }
}
