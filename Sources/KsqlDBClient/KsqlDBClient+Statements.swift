import Foundation

extension KsqlDBClient {
    /// `GET /info`: version, cluster and service ids, status.
    package func info() async throws -> KsqlServerInfo {
        let (_, body) = try await exchange(.GET, "/info")
        guard let wire = KsqlWire.decode(KsqlWire.InfoBody.self, from: body) else {
            throw unexpected(body, from: "GET /info")
        }
        return KsqlServerInfo(version: wire.info.version, kafkaClusterId: wire.info.kafkaClusterId,
                              serviceId: wire.info.ksqlServiceId, status: wire.info.serverStatus)
    }

    /// `GET /healthcheck`; an unhealthy server answers 503 with the same body, returned here.
    package func healthcheck() async throws -> KsqlHealth {
        let (_, body) = try await exchange(.GET, "/healthcheck", acceptStatus: [503])
        guard let wire = KsqlWire.decode(KsqlWire.HealthBody.self, from: body) else {
            throw unexpected(body, from: "GET /healthcheck")
        }
        return KsqlHealth(isHealthy: wire.isHealthy, details: (wire.details ?? [:]).mapValues(\.isHealthy),
                          serverState: wire.serverState)
    }

    /// Every stream and table (`LIST STREAMS;` then `LIST TABLES;`), sorted by name.
    package func listSources() async throws -> [KsqlSourceInfo] {
        var sources: [KsqlSourceInfo] = []
        for (statement, kind) in [("LIST STREAMS;", KsqlSourceKind.stream), ("LIST TABLES;", .table)] {
            let entities = try await runStatement(statement)
            for entity in entities {
                for item in (entity.streams ?? []) + (entity.tables ?? []) {
                    sources.append(KsqlSourceInfo(
                        name: item.name, kind: item.type.flatMap(KsqlSourceKind.init(ksql:)) ?? kind,
                        topic: item.topic ?? "", keyFormat: item.keyFormat ?? "KAFKA",
                        valueFormat: item.valueFormat ?? item.format ?? "", isWindowed: item.isWindowed ?? false))
                }
            }
        }
        return sources.sorted { $0.name < $1.name }
    }

    /// `DESCRIBE <source>;`: kind, topic, formats and every column with its full type and role.
    /// A plain identifier is matched as ksqlDB does (case-insensitively); others are back-quoted.
    package func describe(_ source: String) async throws -> KsqlSourceDescription {
        try await describe(source, sql: Self.sqlIdentifier(source))
    }

    /// `DESCRIBE` of a name exactly as ksqlDB spells it (from `LIST`): always back-quoted.
    func describe(exactName source: String) async throws -> KsqlSourceDescription {
        try await describe(source, sql: "`" + source.replacingOccurrences(of: "`", with: "``") + "`")
    }

    private func describe(_ source: String, sql: String) async throws -> KsqlSourceDescription {
        let entities = try await runStatement("DESCRIBE \(sql);")
        guard let wire = entities.lazy.compactMap(\.sourceDescription).first else {
            throw KsqlDBError(.malformed, "ksqlDB answered DESCRIBE \(source) without a source description")
        }
        return try KsqlSourceDescription(wire: wire)
    }

    /// Sends one statement to `POST /ksql` and decodes the entity array.
    func runStatement(_ statement: String) async throws -> [KsqlWire.Entity] {
        let body = Self.jsonBody(["ksql": statement, "streamsProperties": [String: String]()])
        let (_, response) = try await exchange(.POST, "/ksql", json: body)
        guard let entities = KsqlWire.decode([KsqlWire.Entity].self, from: response) else {
            throw unexpected(response, from: "POST /ksql (\(statement))")
        }
        return entities
    }

    /// A source name as SQL: as is when it is a plain identifier, else back-quoted.
    static func sqlIdentifier(_ name: String) -> String {
        let plain = name.utf8.enumerated().allSatisfy { index, b in
            (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || (index > 0 && b >= 0x30 && b <= 0x39)
        }
        return plain && !name.isEmpty ? name : "`" + name.replacingOccurrences(of: "`", with: "``") + "`"
    }

    private func unexpected(_ body: [UInt8], from request: String) -> KsqlDBError {
        let excerpt = KsqlDBError.oneLine(String(decoding: body.prefix(200), as: UTF8.self))
        return KsqlDBError(.malformed, "ksqlDB at \(configuration.endpoint) sent an unexpected answer to \(request): \(excerpt)")
    }
}

extension KsqlDBClient {
    /// Every source with its full description (`LIST` then one `DESCRIBE` each), sorted by name.
    package func describeSources() async throws -> [KsqlSourceDescription] {
        var descriptions: [KsqlSourceDescription] = []
        for source in try await listSources() {
            descriptions.append(try await describe(exactName: source.name))
        }
        return descriptions
    }
}
