/// One field of a Parquet schema tree: a primitive leaf or a group of fields, with its repetition and
/// logical annotation. Build nested ksqlDB-style types with `list(…)`, `map(…)` and `group(…)`.
public struct SchemaNode: Sendable, Hashable {
    /// A leaf with its physical type, or a group with its children.
    public indirect enum Kind: Sendable, Hashable {
        case primitive(PhysicalType, typeLength: Int32?)
        case group([SchemaNode])
    }

    public var name: String
    public var repetition: Repetition
    public var logicalType: LogicalType?
    public var kind: Kind

    public init(name: String, repetition: Repetition, logicalType: LogicalType?, kind: Kind) {
        self.name = name
        self.repetition = repetition
        self.logicalType = logicalType
        self.kind = kind
    }

    /// A primitive leaf.
    public static func primitive(_ name: String, _ type: PhysicalType, logicalType: LogicalType? = nil,
                                 typeLength: Int32? = nil, repetition: Repetition = .optional) -> SchemaNode {
        SchemaNode(name: name, repetition: repetition, logicalType: logicalType, kind: .primitive(type, typeLength: typeLength))
    }

    /// A struct-like group.
    public static func group(_ name: String, _ children: [SchemaNode], repetition: Repetition = .optional) -> SchemaNode {
        SchemaNode(name: name, repetition: repetition, logicalType: nil, kind: .group(children))
    }

    /// The standard 3-level LIST: `group NAME (LIST) { repeated group list { element } }`.
    public static func list(_ name: String, element: SchemaNode, repetition: Repetition = .optional) -> SchemaNode {
        var element = element
        element.name = "element"
        let inner = SchemaNode(name: "list", repetition: .repeated, logicalType: nil, kind: .group([element]))
        return SchemaNode(name: name, repetition: repetition, logicalType: .list, kind: .group([inner]))
    }

    /// The standard MAP: `group NAME (MAP) { repeated group key_value { required key; value } }`.
    public static func map(_ name: String, key: SchemaNode, value: SchemaNode, repetition: Repetition = .optional) -> SchemaNode {
        var key = key, value = value
        key.name = "key"
        key.repetition = .required
        value.name = "value"
        let inner = SchemaNode(name: "key_value", repetition: .repeated, logicalType: nil, kind: .group([key, value]))
        return SchemaNode(name: name, repetition: repetition, logicalType: .map, kind: .group([inner]))
    }

    /// Bytes of a FIXED_LEN_BYTE_ARRAY holding any unscaled decimal of `precision` digits.
    public static func decimalByteLength(precision: Int) -> Int32 {
        var n: Int32 = 1
        // Smallest n with 2^(8n-1) > 10^precision - 1, computed with log2(10) ≈ 3.3219.
        while Double(8 * n - 1) < Double(precision) * 3.321928094887362 { n += 1 }
        return n
    }

    /// A decimal leaf stored as INT32, INT64 or FIXED_LEN_BYTE_ARRAY by precision, as the spec recommends.
    public static func decimal(_ name: String, precision: Int, scale: Int, repetition: Repetition = .optional) -> SchemaNode {
        let logical = LogicalType.decimal(precision: precision, scale: scale)
        if precision <= 9 { return .primitive(name, .int32, logicalType: logical, repetition: repetition) }
        if precision <= 18 { return .primitive(name, .int64, logicalType: logical, repetition: repetition) }
        return .primitive(name, .fixedLenByteArray, logicalType: logical,
                          typeLength: decimalByteLength(precision: precision), repetition: repetition)
    }
}
