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
                let description = try await client.describe(spec.source)
                out[spec.name] = description.columns.map { KsqlField(name: $0.name, type: $0.type) }
            } catch let error as KsqlDBError {
                if case let .http(_, code) = error.kind, code == 40001 { continue }
                throw error
            }
        }
        return out
    }
}
