/// A failure talking to ksqlDB, worded for the user: one line, never containing credentials.
package struct KsqlDBError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What failed, for callers that react differently (e.g. retry on `.timeout`).
    package enum Kind: Equatable, Sendable {
        /// ksqlDB answered with a non-2xx status before any result; `errorCode` is its `error_code`.
        case http(status: Int, errorCode: Int?)
        /// ksqlDB started a query (HTTP 200) and then sent an error object in the stream.
        case midStream(errorCode: Int?)
        /// The connection closed before the response body was complete.
        case connectionDropped
        /// The response does not follow ksqlDB's wire format.
        case malformed
        case timeout
        /// No HTTP response at all: refused, DNS, TLS handshake, …
        case unreachable
    }

    package var kind: Kind
    package var message: String

    package init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    package var description: String { message }
}
