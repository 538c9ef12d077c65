/// A response as read from the socket: status line, headers, and each HTTP chunk's payload, so tests
/// can check the exact bytes and chunk boundaries the emulator writes.
struct RawResponse {
    var status: Int
    var headers: [(String, String)]
    /// Payloads of the chunks (chunked responses) or one element with the whole body.
    var chunks: [String]
    /// True when the chunked body ended with the terminating zero-length chunk.
    var terminated: Bool

    var body: String { chunks.joined() }

    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }
}
