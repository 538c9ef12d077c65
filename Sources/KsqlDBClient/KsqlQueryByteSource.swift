/// The bytes of one streamed query response, pulled by one async consumer: AsyncHTTPClient's
/// (`KsqlQueryStreamDelegate`) or a plain socket's (`PlainHTTPQueryReader`).
protocol KsqlQueryByteSource: AnyObject, Sendable {
    /// Waits until bytes, the end, or an error are there; moves the pending bytes into `bytes` (which
    /// must be empty; its capacity is recycled) and lets a paused read go on.
    func next(into bytes: inout [UInt8]) async -> KsqlQueryDelivery

    /// The consumer is done (finished, failed or cancelled): drop what comes and end the request.
    func stop()
}
