extension KsqlType {
    /// The type of a `DESCRIBE` field schema: `{"type":"ARRAY","fields":null,"memberSchema":{…}}`.
    /// ARRAY's `memberSchema` is the element; MAP's is the value (ksqlDB does not show the key type,
    /// which is STRING); STRUCT lists `fields`; DECIMAL carries `parameters` precision and scale.
    /// ARRAY, MAP and STRUCT nest at most `maxNestingDepth` levels, as in `parse`.
    init(describeSchema schema: KsqlWire.SchemaInfo, column: String, depth: Int = 0) throws(KsqlDBError) {
        let kind = schema.type.uppercased()
        if kind == "ARRAY" || kind == "MAP" || kind == "STRUCT", depth >= Self.maxNestingDepth {
            throw KsqlDBError(.malformed, "ksqlDB described column \(column) with types nested deeper than "
                + "\(Self.maxNestingDepth) levels of ARRAY, MAP and STRUCT")
        }
        func member() throws(KsqlDBError) -> KsqlType {
            guard let member = schema.memberSchema else {
                throw KsqlDBError(.malformed, "ksqlDB described column \(column) as \(schema.type) without its member type")
            }
            return try KsqlType(describeSchema: member, column: column, depth: depth + 1)
        }
        switch kind {
        case "BOOLEAN": self = .boolean
        case "INTEGER", "INT": self = .integer
        case "BIGINT": self = .bigint
        case "DOUBLE": self = .double
        case "STRING", "VARCHAR": self = .string
        case "BYTES": self = .bytes
        case "DATE": self = .date
        case "TIME": self = .time
        case "TIMESTAMP": self = .timestamp
        case "DECIMAL":
            guard let precision = schema.parameters?["precision"]?.value,
                  let scale = schema.parameters?["scale"]?.value else {
                throw KsqlDBError(.malformed, "ksqlDB described column \(column) as DECIMAL without precision and scale")
            }
            self = .decimal(precision: precision, scale: scale)
        case "ARRAY":
            self = .array(try member())
        case "MAP":
            self = .map(key: .string, value: try member())
        case "STRUCT":
            var fields: [KsqlField] = []
            for field in schema.fields ?? [] {
                fields.append(KsqlField(name: field.name,
                                        type: try KsqlType(describeSchema: field.schema, column: "\(column).\(field.name)",
                                                          depth: depth + 1)))
            }
            self = .struct(fields)
        default:
            throw KsqlDBError(.malformed, "ksqlDB described column \(column) with an unknown type \(schema.type)")
        }
    }
}
