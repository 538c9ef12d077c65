/// The JSON bodies of ksqlDB's control endpoints (`/info`, `/healthcheck`, `/ksql` entities and
/// error messages), field for field in ksqlDB's serialization order.
enum KsqlEntities {
    static func info(version: String) -> EmulatorJSON {
        .object([("KsqlServerInfo", .object([
            ("version", .string(version)),
            ("kafkaClusterId", .string("emulatorKafkaCluster")),
            ("ksqlServiceId", .string("default_")),
            ("serverStatus", .string("RUNNING")),
        ]))])
    }

    static func healthcheck(rich: Bool) -> EmulatorJSON {
        let healthy = EmulatorJSON.object([("isHealthy", .bool(true))])
        var details: [(String, EmulatorJSON)] = [("metastore", healthy), ("kafka", healthy)]
        guard rich else { return .object([("isHealthy", .bool(true)), ("details", .object(details))]) }
        details.append(("commandRunner", healthy))
        return .object([("isHealthy", .bool(true)), ("details", .object(details)), ("serverState", .string("READY"))])
    }

    static func genericError(code: Int, message: String) -> EmulatorJSON {
        .object([("@type", .string("generic_error")), ("error_code", .int(code)), ("message", .string(message))])
    }

    static func statementError(code: Int, message: String, statementText: String) -> EmulatorJSON {
        .object([("@type", .string("statement_error")), ("error_code", .int(code)), ("message", .string(message)),
                 ("statementText", .string(statementText)), ("entities", .array([]))])
    }

    /// The error body and HTTP status for an `EmulatorError`.
    static func error(_ error: EmulatorError) -> (status: Int, body: EmulatorJSON) {
        switch error {
        case .statement(let message, let text): return (400, statementError(code: 40001, message: message, statementText: text))
        case .wrongEndpoint(let message, let text): return (400, statementError(code: 40002, message: message, statementText: text))
        case .badRequest(let message): return (400, genericError(code: 40000, message: message))
        }
    }

    static func sourceList(_ schemas: [EmulatorSourceSchema], kind: EmulatorSourceKind, statementText: String) -> EmulatorJSON {
        let items = schemas.filter { $0.kind == kind }.map { schema in
            EmulatorJSON.object([
                ("type", .string(schema.kind.rawValue)), ("name", .string(schema.name)), ("topic", .string(schema.topic)),
                ("keyFormat", .string(schema.keyFormat)), ("valueFormat", .string(schema.valueFormat)), ("isWindowed", .bool(schema.windowType != nil)),
            ])
        }
        let plural = kind == .stream ? "streams" : "tables"
        return .object([("@type", .string(plural)), ("statementText", .string(statementText)), (plural, .array(items)), ("warnings", .array([]))])
    }

    static func sourceDescriptions(_ schemas: [EmulatorSourceSchema], extended: Bool, statementText: String) -> EmulatorJSON {
        .object([("@type", .string("source_descriptions")), ("statementText", .string(statementText)),
                 ("sourceDescriptions", .array(schemas.map { description($0, extended: extended) })), ("warnings", .array([]))])
    }

    static func sourceDescription(_ schema: EmulatorSourceSchema, extended: Bool, statementText: String) -> EmulatorJSON {
        .object([("@type", .string("sourceDescription")), ("statementText", .string(statementText)),
                 ("sourceDescription", description(schema, extended: extended)), ("warnings", .array([]))])
    }

    static func description(_ schema: EmulatorSourceSchema, extended: Bool) -> EmulatorJSON {
        let notice = "The statistics field is deprecated and will be removed in a future version of ksql. Please update your client to the latest version and use statisticsMap instead.\n"
        var writeQueries: [EmulatorJSON] = []
        if schema.statement.uppercased().contains(" AS SELECT ") {
            let prefix = schema.kind == .table ? "CTAS" : "CSAS"
            writeQueries.append(.object([
                ("queryString", .string(schema.statement)), ("sinks", .array([.string(schema.name)])),
                ("sinkKafkaTopics", .array([.string(schema.topic)])), ("id", .string("\(prefix)_\(schema.name)_0")),
                ("statusCount", .object([("RUNNING", .int(1))])), ("queryType", .string("PERSISTENT")), ("state", .string("RUNNING")),
            ]))
        }
        return .object([
            ("name", .string(schema.name)),
            ("windowType", schema.windowType.map(EmulatorJSON.string) ?? .null),
            ("readQueries", .array([])),
            ("writeQueries", .array(writeQueries)),
            ("fields", .array(schema.columns.filter { !$0.isWindowBound }.map { field($0.name, $0.type, kind: $0.isKey ? "KEY" : nil) })),
            ("type", .string(schema.kind.rawValue)),
            ("timestamp", .string(schema.timestampColumn ?? "")),
            ("statistics", .string(extended ? notice : "")),
            ("errorStats", .string(extended ? notice : "")),
            ("extended", .bool(extended)),
            ("keyFormat", .string(schema.keyFormat)),
            ("valueFormat", .string(schema.valueFormat)),
            ("topic", .string(schema.topic)),
            ("partitions", .int(schema.partitions)),
            ("replication", .int(schema.replication)),
            ("statement", .string(schema.statement)),
            ("queryOffsetSummaries", .array([])),
            ("sourceConstraints", .array([])),
            ("clusterStatistics", .array([])),
            ("clusterErrorStats", .array([])),
        ])
    }

    static func field(_ name: String, _ type: EmulatorType, kind: String?) -> EmulatorJSON {
        var members: [(String, EmulatorJSON)] = [("name", .string(name)), ("schema", schemaInfo(type))]
        if let kind { members.append(("type", .string(kind))) }
        return .object(members)
    }

    static func schemaInfo(_ type: EmulatorType) -> EmulatorJSON {
        var fields = EmulatorJSON.null
        var member = EmulatorJSON.null
        switch type {
        case .structure(let structFields): fields = .array(structFields.map { field($0.name, $0.type, kind: nil) })
        case .array(let element): member = schemaInfo(element)
        case .map(_, let value): member = schemaInfo(value)
        default: break
        }
        var members: [(String, EmulatorJSON)] = [("type", .string(type.baseTypeName)), ("fields", fields), ("memberSchema", member)]
        if case .decimal(let precision, let scale) = type {
            members.append(("parameters", .object([("precision", .int(precision)), ("scale", .int(scale))])))
        }
        return .object(members)
    }
}
