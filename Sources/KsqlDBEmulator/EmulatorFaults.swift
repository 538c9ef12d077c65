/// Faults injected into `/query-stream` and `/query` responses, for testing a client's error handling.
/// All nil means no fault. Also settable out of process with `POST /emulator/faults` (emulator-only).
package struct EmulatorFaults: Sendable, Equatable {
    /// Close the socket after this many rows (or at the end, if the query has fewer), without the
    /// terminating chunk.
    package var dropConnectionAfterRows: Int?
    /// Answer this status (500 or 429) with ksqlDB's error body before streaming anything.
    package var failStatus: Int?
    /// Wait this long before each row.
    package var rowDelay: Duration?
    /// Emit a syntactically broken JSON row in place of the row at this index (0-based).
    package var malformedRowAt: Int?
    /// After this many rows (or at the end, if the query has fewer), emit the in-band `generic_error`
    /// 50000 element and end the response.
    package var midStreamErrorAfterRows: Int?

    package init(dropConnectionAfterRows: Int? = nil, failStatus: Int? = nil, rowDelay: Duration? = nil,
                 malformedRowAt: Int? = nil, midStreamErrorAfterRows: Int? = nil) {
        self.dropConnectionAfterRows = dropConnectionAfterRows
        self.failStatus = failStatus
        self.rowDelay = rowDelay
        self.malformedRowAt = malformedRowAt
        self.midStreamErrorAfterRows = midStreamErrorAfterRows
    }

    /// Reads the `/emulator/faults` body: the same field names, `rowDelay` in milliseconds; `{}` clears.
    package init(json: EmulatorJSON) throws(EmulatorError) {
        guard case .object(let members) = json else { throw .badRequest("faults must be a JSON object") }
        self.init()
        for (key, value) in members {
            if value == .null { continue }
            guard case .number(let text) = value, let number = Int(text), number >= 0 else {
                throw .badRequest("fault \(key) must be a non-negative integer")
            }
            switch key {
            case "dropConnectionAfterRows": dropConnectionAfterRows = number
            case "failStatus":
                guard number == 500 || number == 429 else { throw .badRequest("failStatus must be 500 or 429") }
                failStatus = number
            case "rowDelay", "rowDelayMs": rowDelay = .milliseconds(number)
            case "malformedRowAt": malformedRowAt = number
            case "midStreamErrorAfterRows": midStreamErrorAfterRows = number
            default: throw .badRequest("unknown fault \(key)")
            }
        }
    }

    var json: EmulatorJSON {
        var members: [(String, EmulatorJSON)] = []
        func add(_ key: String, _ value: Int?) { if let value { members.append((key, .number(String(value)))) } }
        add("dropConnectionAfterRows", dropConnectionAfterRows)
        add("failStatus", failStatus)
        if let rowDelay {
            let (seconds, attoseconds) = rowDelay.components
            add("rowDelay", Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
        }
        add("malformedRowAt", malformedRowAt)
        add("midStreamErrorAfterRows", midStreamErrorAfterRows)
        return .object(members)
    }
}
