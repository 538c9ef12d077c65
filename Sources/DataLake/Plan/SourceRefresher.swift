import KsqlDBClient

/// Plan's refresh: `DESCRIBE` each enabled feed's source, so that a missing source or a schema
/// change shows in the plan rather than failing the apply.
package struct SourceRefresher {
    package var client: KsqlDBClient

    package init(client: KsqlDBClient) { self.client = client }

    /// Columns per feed name, as `SELECT ROWTIME, *` returns them (ROWTIME excluded). A feed whose source
    /// ksqlDB does not have is left out (the planner reports it against the feed's file and line).
    package func refresh(_ feeds: [FeedSpec]) async throws -> [String: [KsqlField]] {
        var out: [String: [KsqlField]] = [:]
        for spec in feeds where spec.enabled && !spec.archived {
            do {
                out[spec.name] = Self.queryColumns(try await client.describe(spec.source))
            } catch let error as KsqlDBError {
                if case let .http(_, code) = error.kind, code == 40001 { continue }
                throw error
            }
        }
        return out
    }

    /// The columns a query of the source returns: DESCRIBE's, and for a windowed table the window
    /// bounds WINDOWSTART and WINDOWEND after the key columns, which DESCRIBE does not list.
    static func queryColumns(_ description: KsqlSourceDescription) -> [KsqlField] {
        var fields = description.columns.map { KsqlField(name: $0.name, type: $0.type) }
        if description.isWindowed {
            let keys = description.columns.prefix { $0.role == .key }.count
            fields.insert(contentsOf: [KsqlField(name: "WINDOWSTART", type: .bigint), KsqlField(name: "WINDOWEND", type: .bigint)], at: keys)
        }
        return fields
    }
}
