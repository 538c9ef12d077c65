extension KsqlSourceDescription {
    /// Maps `DESCRIBE`'s `sourceDescription` entity.
    init(wire: KsqlWire.SourceDescription) throws(KsqlDBError) {
        guard let kind = KsqlSourceKind(ksql: wire.type) else {
            throw KsqlDBError(.malformed, "ksqlDB described \(wire.name) as \(wire.type), neither a STREAM nor a TABLE")
        }
        var columns: [KsqlColumn] = []
        for field in wire.fields {
            let role: KsqlColumn.Role
            switch field.type?.uppercased() {
            case nil: role = .value
            case "KEY": role = .key
            case "HEADER": role = .header
            case let other?:
                throw KsqlDBError(.malformed, "ksqlDB described column \(field.name) of \(wire.name) with an unknown role \(other)")
            }
            columns.append(KsqlColumn(name: field.name, type: try KsqlType(describeSchema: field.schema, column: field.name),
                                      role: role))
        }
        let timestamp = wire.timestamp.flatMap { $0.isEmpty ? nil : $0 }
        let window = wire.windowType.flatMap { $0.isEmpty ? nil : $0 }
        self.init(name: wire.name, kind: kind, topic: wire.topic ?? "",
                  keyFormat: wire.keyFormat ?? "KAFKA", valueFormat: wire.valueFormat ?? wire.format ?? "",
                  windowType: window, timestampColumn: timestamp, columns: columns)
    }
}
