import NIOCore

/// What the router answers: a whole response, or a query whose rows the handler streams.
enum EmulatorResponse {
    case full(status: Int, headers: [(String, String)], body: ByteBuffer)
    case query(EmulatorQuery, framing: QueryFraming, contentType: String, fromOffset: Int, faults: EmulatorFaults)

    static func json(_ status: Int, _ body: EmulatorJSON, contentType: String? = "application/json", extraHeaders: [(String, String)] = []) -> EmulatorResponse {
        var bytes: [UInt8] = []
        body.write(into: &bytes)
        let buffer = ByteBuffer(bytes: bytes)
        var headers = extraHeaders
        if let contentType { headers.insert(("content-type", contentType), at: 0) }
        return .full(status: status, headers: headers, body: buffer)
    }

    static func text(_ status: Int, _ body: String, headers: [(String, String)] = []) -> EmulatorResponse {
        .full(status: status, headers: headers, body: ByteBuffer(string: body))
    }
}
