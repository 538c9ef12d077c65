/// An HTTP request as the router sees it: method, path, headers (names lower-cased), whole body.
struct EmulatorRequest {
    var method: String
    var path: String
    var headers: [(String, String)]
    var body: [UInt8]

    func header(_ name: String) -> String? {
        headers.first { $0.0 == name }?.1
    }
}
