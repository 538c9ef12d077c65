/// Whether a ksqlDB source is a stream (append-only events) or a table (latest value per key).
package enum KsqlSourceKind: String, Equatable, Hashable, Sendable {
    case stream
    case table

    /// Reads ksqlDB's `"STREAM"` / `"TABLE"` (any case).
    init?(ksql text: String) {
        switch text.uppercased() {
        case "STREAM": self = .stream
        case "TABLE": self = .table
        default: return nil
        }
    }
}
