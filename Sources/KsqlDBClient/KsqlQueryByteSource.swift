/// The bytes of one streamed query response, pulled by one async consumer: AsyncHTTPClient's
/// (`KsqlQueryStreamDelegate`) or a plain socket's (`PlainHTTPQueryReader`).
protocol KsqlQueryByteSource: AnyObject, Sendable {
    /// Waits until bytes, the end, or an error are there; moves the pending bytes into `bytes` (which
    /// must be empty; its capacity is recycled) and lets a paused read go on.
    func next(into bytes: inout [UInt8]) async -> KsqlQueryDelivery

    /// Ends the response with `error` unless it already ended: the consumer gets it from `next` (after
    /// the bytes already there) and the request is cut off. Callable from any task (a timer).
    func fail(_ error: any Error)

    /// The consumer is done (finished, failed or cancelled): drop what comes and end the request.
    func stop()
}
