extension KsqlType {
    /// The type of a `DESCRIBE` field schema: `{"type":"ARRAY","fields":null,"memberSchema":{…}}`.
    /// ARRAY's `memberSchema` is the element; MAP's is the value (ksqlDB does not show the key type,
    /// which is STRING); STRUCT lists `fields`; DECIMAL carries `parameters` precision and scale.
    init(describeSchema schema: KsqlWire.SchemaInfo, column: String) throws(KsqlDBError) {
        func member() throws(KsqlDBError) -> KsqlType {
            guard let member = schema.memberSchema else {
                throw KsqlDBError(.malformed, "ksqlDB described column \(column) as \(schema.type) without its member type")
            }
            return try KsqlType(describeSchema: member, column: column)
        }
        switch schema.type.uppercased() {
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
                                        type: try KsqlType(describeSchema: field.schema, column: "\(column).\(field.name)")))
            }
            self = .struct(fields)
        default:
            throw KsqlDBError(.malformed, "ksqlDB described column \(column) with an unknown type \(schema.type)")
        }
    }
}
