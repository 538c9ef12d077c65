/// A YAML node as libyaml parsed it, with the position of every node so that errors can name
/// `file:line:column`. Scalars stay text: the decoder gives them a type from the field it expects.
package struct YAMLNode: Sendable {
    package enum Kind: Sendable {
        /// `quoted` is true for single- or double-quoted scalars, which are always strings.
        case scalar(String, quoted: Bool)
        case sequence([YAMLNode])
        case mapping([(key: YAMLNode, value: YAMLNode)])
    }

    package var kind: Kind
    package var location: SourceLocation

    package init(_ kind: Kind, at location: SourceLocation) {
        self.kind = kind
        self.location = location
    }

    package var scalar: String? {
        if case let .scalar(text, _) = kind { return text }
        return nil
    }

    /// True for a plain `~`, `null` or empty scalar.
    package var isNull: Bool {
        if case let .scalar(text, quoted) = kind, !quoted {
            return text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL"
        }
        return false
    }

    /// How the node would be described in an error ("a mapping", "a list", "the string …").
    package var kindName: String {
        switch kind {
        case .scalar: return isNull ? "null" : "a scalar"
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        }
    }
}
