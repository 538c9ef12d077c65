#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AsyncHTTPClient
import NIOCore

/// A non-blocking TCP socket with poll-based timeouts, for the plain-HTTP query path. Failures are
/// thrown as the errors AsyncHTTPClient would give (`IOError`, `HTTPClientError`), so that both paths
/// share `KsqlDBError.transport`'s wording.
struct PlainSocket {
    /// The host name does not resolve (worded like the resolver's own message).
    struct ResolveError: Error, CustomStringConvertible {
        var description: String
    }

    let fd: Int32

    /// The addresses of `host:port`, in the resolver's order.
    static func resolve(host: String, port: Int) throws -> [(family: Int32, address: [UInt8])] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw ResolveError(description: "cannot resolve \(host): \(String(cString: gai_strerror(status)).lowercased())")
        }
        defer { freeaddrinfo(first) }
        var result: [(family: Int32, address: [UInt8])] = []
        var node: UnsafeMutablePointer<addrinfo>? = first
        while let entry = node {
            if let address = entry.pointee.ai_addr {
                let bytes = UnsafeRawBufferPointer(start: address, count: Int(entry.pointee.ai_addrlen))
                result.append((entry.pointee.ai_family, Array(bytes)))
            }
            node = entry.pointee.ai_next
        }
        return result
    }

    /// A new non-blocking stream socket of `family`.
    static func open(family: Int32) throws -> PlainSocket {
        #if canImport(Glibc)
        let fd = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        #else
        let fd = socket(family, SOCK_STREAM, 0)
        if fd >= 0 {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            var on: Int32 = 1
            _ = setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &on, socklen_t(MemoryLayout<Int32>.size))
        }
        #endif
        guard fd >= 0 else { throw IOError(errnoCode: errno, reason: "socket") }
        var on: Int32 = 1
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
        return PlainSocket(fd: fd)
    }

    /// Connects to `address`, waiting at most `timeout`.
    func connect(to address: [UInt8], timeout: Duration) throws {
        let rc = address.withUnsafeBytes { raw in
            #if canImport(Glibc)
            Glibc.connect(fd, raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t(raw.count))
            #else
            Darwin.connect(fd, raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t(raw.count))
            #endif
        }
        if rc == 0 { return }
        guard errno == EINPROGRESS else { throw IOError(errnoCode: errno, reason: "connect") }
        guard try wait(for: Int16(POLLOUT), timeout: timeout) else { throw HTTPClientError.connectTimeout }
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) == 0 else { throw IOError(errnoCode: errno, reason: "connect") }
        if error != 0 { throw IOError(errnoCode: error, reason: "connect") }
    }

    /// Writes all of `bytes`, waiting at most `timeout` each time the socket is full.
    func send(_ bytes: [UInt8], timeout: Duration) throws {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { raw in
                #if canImport(Glibc)
                Glibc.send(fd, raw.baseAddress! + sent, raw.count - sent, Int32(MSG_NOSIGNAL))
                #else
                Darwin.send(fd, raw.baseAddress! + sent, raw.count - sent, 0)
                #endif
            }
            if n > 0 {
                sent += n
            } else if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR {
                guard try wait(for: Int16(POLLOUT), timeout: timeout) else { throw HTTPClientError.readTimeout }
            } else {
                throw IOError(errnoCode: errno, reason: "send")
            }
        }
    }

    /// Reads what is there (at most `buffer.count` bytes), waiting at most `timeout` for something;
    /// 0 means the peer closed the connection.
    func read(into buffer: UnsafeMutableRawBufferPointer, timeout: Duration) throws -> Int {
        while true {
            #if canImport(Glibc)
            let n = Glibc.read(fd, buffer.baseAddress!, buffer.count)
            #else
            let n = Darwin.read(fd, buffer.baseAddress!, buffer.count)
            #endif
            if n >= 0 { return n }
            guard errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR else {
                throw IOError(errnoCode: errno, reason: "read")
            }
            guard try wait(for: Int16(POLLIN), timeout: timeout) else { throw HTTPClientError.readTimeout }
        }
    }

    /// Ends both directions: a thread blocked in `read` or `connect` on this socket returns at once.
    func shutdown() {
        #if canImport(Glibc)
        _ = Glibc.shutdown(fd, Int32(SHUT_RDWR))
        #else
        _ = Darwin.shutdown(fd, SHUT_RDWR)
        #endif
    }

    func close() {
        #if canImport(Glibc)
        _ = Glibc.close(fd)
        #else
        _ = Darwin.close(fd)
        #endif
    }

    /// Waits until `events` (or an error or hang-up) on the socket; false after `timeout`.
    private func wait(for events: Int16, timeout: Duration) throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while true {
            let (seconds, attoseconds) = (deadline - ContinuousClock.now).components
            let milliseconds = Int32(clamping: max(seconds * 1000 + attoseconds / 1_000_000_000_000_000, 0))
            var entry = pollfd(fd: fd, events: events, revents: 0)
            let rc = poll(&entry, 1, milliseconds)
            if rc > 0 { return true }
            if rc == 0 { return false }
            guard errno == EINTR else { throw IOError(errnoCode: errno, reason: "poll") }
        }
    }
}
