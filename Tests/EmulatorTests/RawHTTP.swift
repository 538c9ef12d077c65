import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A blocking raw-socket HTTP/1.1 client (one request per connection, `connection: close`).
enum RawHTTP {
    static func request(port: Int, method: String = "POST", path: String, body: String? = nil,
                        headers: [(String, String)] = []) throws -> RawResponse {
        var text = "\(method) \(path) HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        if let body { text += "content-length: \(body.utf8.count)\r\n" }
        text += "\r\n" + (body ?? "")
        return try parse(exchange(port: port, request: Array(text.utf8)))
    }

    /// Sends raw bytes and reads until the server closes the connection.
    /// A connected loopback socket with a 20 s receive timeout, so a broken test fails instead of hanging.
    static func connect(port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw RawHTTPError.socket("socket") }
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            throw RawHTTPError.socket("connect")
        }
        return fd
    }

    static func exchange(port: Int, request: [UInt8]) throws -> [UInt8] {
        let fd = try connect(port: port)
        defer { close(fd) }
        var sent = 0
        while sent < request.count {
            let n = request[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { throw RawHTTPError.socket("send") }
            sent += n
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n < 0 { throw RawHTTPError.socket("recv timed out") }
            if n == 0 { break }
            received.append(contentsOf: buffer[0..<n])
        }
        return received
    }

    static func parse(_ bytes: [UInt8]) throws -> RawResponse {
        guard let split = find([13, 10, 13, 10], in: bytes, from: 0) else { throw RawHTTPError.malformed("no header end") }
        let head = String(decoding: bytes[0..<split], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = head[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw RawHTTPError.malformed(head[0]) }
        let headers: [(String, String)] = head.dropFirst().compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces))
        }
        var response = RawResponse(status: status, headers: headers, chunks: [], terminated: false)
        var position = split + 4
        guard response.header("transfer-encoding") == "chunked" else {
            response.chunks = [String(decoding: bytes[position...], as: UTF8.self)]
            return response
        }
        while let lineEnd = find([13, 10], in: bytes, from: position) {
            let sizeText = String(decoding: bytes[position..<lineEnd], as: UTF8.self)
            guard let size = Int(sizeText, radix: 16) else { throw RawHTTPError.malformed("chunk size '\(sizeText)'") }
            position = lineEnd + 2
            if size == 0 {
                response.terminated = true
                break
            }
            guard position + size + 2 <= bytes.count else {
                response.chunks.append(String(decoding: bytes[position...], as: UTF8.self))
                break
            }
            response.chunks.append(String(decoding: bytes[position..<(position + size)], as: UTF8.self))
            guard bytes[position + size] == 13, bytes[position + size + 1] == 10 else { throw RawHTTPError.malformed("chunk end") }
            position += size + 2
        }
        return response
    }

    static func find(_ needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard bytes.count >= needle.count else { return nil }
        var index = start
        while index + needle.count <= bytes.count {
            if bytes[index] == needle[0], Array(bytes[index..<(index + needle.count)]) == needle { return index }
            index += 1
        }
        return nil
    }
}
