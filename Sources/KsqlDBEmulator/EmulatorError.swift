/// Why the emulator refused a request or an API call; the HTTP layer maps each case to
/// ksqlDB's status, `error_code` and body shape.
package enum EmulatorError: Error, Equatable, CustomStringConvertible {
    /// 400 `statement_error` 40001 (bad SQL, unknown source, pull-query validation).
    case statement(String, statementText: String)
    /// 400 `generic_error` 40000 (bad JSON, unknown query id).
    case badRequest(String)
    /// 400 `statement_error` 40002 (SELECT sent to /ksql).
    case wrongEndpoint(String, statementText: String)

    package var description: String {
        switch self {
        case .statement(let message, _), .badRequest(let message), .wrongEndpoint(let message, _): return message
        }
    }
}
