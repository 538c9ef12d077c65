import Foundation

extension KsqlDBClient {
    /// Where streamed queries go over a plain socket (`PlainHTTPQueryReader`): `http://` URLs without a
    /// proxy, unless the configuration asks for AsyncHTTPClient.
    var socketTarget: (host: String, port: Int, hostHeader: String, path: String)? {
        let url = configuration.url
        guard configuration.streamsOverSocket, configuration.proxy == nil, url.scheme?.lowercased() == "http",
              let host = url.host, !host.isEmpty
        else { return nil }
        let port = url.port ?? 80
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        let hostHeader = bare.contains(":") ? "[\(bare)]" : bare
        var path = url.path
        while path.hasSuffix("/") { path.removeLast() }
        return (bare, port, url.port.map { "\(hostHeader):\($0)" } ?? hostHeader, path)
    }

    /// The request bytes of a streamed query on the socket path: the same headers as AsyncHTTPClient
    /// sends, and `Connection: close`, since the socket serves one query.
    func socketRequest(path: String, host: String, accept: String, body: [UInt8]) -> [UInt8] {
        var head = "POST \(path) HTTP/1.1\r\nHost: \(host)\r\n"
        for (name, value) in baseHeaders { head += "\(name): \(value)\r\n" }
        head += "Accept: \(accept)\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n"
        head += "Connection: close\r\n\r\n"
        return Array(head.utf8) + body
    }
}
