/// What a streamed query's consumer gets from one `KsqlQueryByteSource.next` call.
struct KsqlQueryDelivery {
    /// The response status, once the head arrived.
    var status: Int?
    /// The body finished normally.
    var finished: Bool
    /// The response failed (dropped connection, timeout, cancellation).
    var error: (any Error)?
}
