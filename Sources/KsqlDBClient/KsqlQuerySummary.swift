/// How a completed query went: rows handed over, bytes read, and which endpoint served it.
package struct KsqlQuerySummary: Equatable, Sendable {
    /// The endpoint that answered: `/query-stream`, or legacy `/query` for servers older than 0.24.
    package enum Endpoint: String, Equatable, Sendable {
        case queryStream = "/query-stream"
        case legacyQuery = "/query"
    }

    package var queryId: String?
    package var endpoint: Endpoint
    package var rows: Int
    /// Response body bytes received, framing included.
    package var bytes: Int
    /// The legacy endpoint's `finalMessage` (`Query Completed`, `Limit Reached`), when it sent one.
    package var finalMessage: String?

    package init(queryId: String?, endpoint: Endpoint, rows: Int, bytes: Int, finalMessage: String? = nil) {
        self.queryId = queryId
        self.endpoint = endpoint
        self.rows = rows
        self.bytes = bytes
        self.finalMessage = finalMessage
    }
}
