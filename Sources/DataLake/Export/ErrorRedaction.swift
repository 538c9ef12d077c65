import KsqlDBClient
import KsqlParquet

/// The failure of a restricted feed's export, without row content: ksqlDB's excerpt of a malformed
/// line and the text of an in-band error can hold values, so only the position and the error code
/// remain (the line number is enough to look the row up where access allows it).
enum ErrorRedaction {
    static let note = " (content not shown: the feed is restricted)"

    static func redacted(_ error: any Error, restricted: Bool) -> any Error {
        guard restricted else { return error }
        if var e = error as? KsqlDBError {
            switch e.kind {
            case .malformed:
                if let r = e.message.range(of: " of the body") { e.message = String(e.message[..<r.upperBound]) + note }
            case .midStream:
                if let r = e.message.range(of: ": ") { e.message = String(e.message[..<r.lowerBound]) + note }
            default:
                break
            }
            return e
        }
        if var e = error as? KsqlRowError, let r = e.message.range(of: "ksqlDB reported an error in the stream") {
            e.message = String(e.message[..<r.upperBound]) + note
            return e
        }
        return error
    }
}
