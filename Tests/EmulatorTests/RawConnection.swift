import Foundation

/// A raw socket kept open while a test reads a response progressively (push queries).
final class RawConnection {
    private let fd: Int32
    private(set) var received: [UInt8] = []

    init(port: Int, request: String) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw RawHTTPError.socket("socket") }
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw RawHTTPError.socket("connect") }
        let bytes = Array(request.utf8)
        guard bytes.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, 0) }) == bytes.count else { throw RawHTTPError.socket("send") }
    }

    deinit { close(fd) }

    var text: String { String(decoding: received, as: UTF8.self) }

    /// Reads until the received text contains `marker`, or the peer closes (false then).
    @discardableResult
    func read(until marker: String?) throws -> Bool {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while marker.map({ !text.contains($0) }) ?? true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n < 0 { throw RawHTTPError.socket("recv timed out") }
            if n == 0 { return false }
            received.append(contentsOf: buffer[0..<n])
        }
        return true
    }
}
