/// The progress of one streamed query response on a connection.
final class QueryStream {
    var query: EmulatorQuery
    let framing: QueryFraming
    let faults: EmulatorFaults
    let keepAlive: Bool
    /// Next log offset (stream) or row index (table) to look at.
    var offset: Int
    /// Rows written so far (the index the faults count in).
    var emitted = 0
    var waitingForWritability = false
    var finished = false

    init(query: EmulatorQuery, framing: QueryFraming, faults: EmulatorFaults, keepAlive: Bool, offset: Int) {
        self.query = query
        self.framing = framing
        self.faults = faults
        self.keepAlive = keepAlive
        self.offset = offset
    }
}
