import Foundation

/// A raw socket kept open while a test reads a response progressively (push queries).
final class RawConnection {
    private let fd: Int32
    private(set) var received: [UInt8] = []

    init(port: Int, request: String) throws {
        fd = try RawHTTP.connect(port: port)
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
