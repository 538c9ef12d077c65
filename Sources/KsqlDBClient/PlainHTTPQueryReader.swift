import AsyncHTTPClient
import Foundation

/// Streams one query response over a plain TCP socket, on a thread of its own, for `http://` servers
/// reached without a proxy. ksqlDB sends one HTTP chunk per row; AsyncHTTPClient spends more CPU on
/// that bookkeeping than the whole Parquet encoding, while a read of 256 KiB here holds a thousand
/// rows and costs one system call. TLS and proxies stay with AsyncHTTPClient.
///
/// The reader thread decodes the HTTP framing and appends the body to a pending buffer; the consumer
/// takes all of it at once. Reading pauses while more than `highWaterMark` bytes wait, which bounds
/// memory whatever the consumer's speed; the read timeout counts only time spent waiting on the
/// socket, never time paused for the consumer.
final class PlainHTTPQueryReader: KsqlQueryByteSource, @unchecked Sendable {
    private struct State {
        var status: Int?
        var pending: [UInt8] = []
        var finished = false
        var error: (any Error)?
        var waiter: CheckedContinuation<Void, Never>?
        var stopped = false
        var socket: PlainSocket?

        var hasNews: Bool { !pending.isEmpty || finished || error != nil }
    }

    /// Guards `state`; the reader thread waits on it while the pending bytes are over the mark.
    private let condition = NSCondition()
    private var state = State()
    private let host: String
    private let port: Int
    private let request: [UInt8]
    private let connectTimeout: Duration
    private let readTimeout: Duration
    private let highWaterMark: Int
    private static let readSize = 256 << 10

    init(host: String, port: Int, request: [UInt8], connectTimeout: Duration, readTimeout: Duration,
         highWaterMark: Int = 1 << 20) {
        self.host = host
        self.port = port
        self.request = request
        self.connectTimeout = connectTimeout
        self.readTimeout = readTimeout
        self.highWaterMark = highWaterMark
    }

    /// Starts the reader thread: connect, send the request, read the response.
    func start() {
        let thread = Thread { self.run() }
        thread.name = "ksqldb-reader"
        thread.start()
    }

    func next(into bytes: inout [UInt8]) async -> KsqlQueryDelivery {
        while true {
            if let delivery = take(into: &bytes) { return delivery }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                condition.lock()
                let ready = state.hasNews
                if !ready { state.waiter = continuation }
                condition.unlock()
                if ready { continuation.resume() }
            }
        }
    }

    /// Swaps the pending bytes into `bytes` if there is news, and lets a paused reader go on.
    private func take(into bytes: inout [UInt8]) -> KsqlQueryDelivery? {
        condition.lock()
        defer { condition.unlock() }
        guard state.hasNews else { return nil }
        swap(&bytes, &state.pending)
        condition.broadcast()
        return KsqlQueryDelivery(status: state.status, finished: state.finished, error: state.error)
    }

    func fail(_ error: any Error) {
        condition.lock()
        if !state.finished, state.error == nil {
            state.error = error
            // Interrupts a blocked read; the reader thread's own error then loses to this one.
            state.socket?.shutdown()
        }
        let waiter = state.waiter
        state.waiter = nil
        condition.broadcast()
        condition.unlock()
        waiter?.resume()
    }

    func stop() {
        condition.lock()
        state.stopped = true
        state.pending = []
        // A consumer waiting in `next` (a cancelled task) must get an answer: the request's end.
        if !state.finished { state.error = state.error ?? HTTPClientError.cancelled }
        state.socket?.shutdown()
        let waiter = state.waiter
        state.waiter = nil
        condition.broadcast()
        condition.unlock()
        waiter?.resume()
    }

    // MARK: reader thread

    private func run() {
        do {
            try connectAndRead()
        } catch {
            update { s in s.error = s.error ?? error }
        }
        condition.lock()
        let socket = state.socket
        state.socket = nil
        condition.unlock()
        socket?.close()
    }

    private func connectAndRead() throws {
        var lastError: any Error = HTTPClientError.connectTimeout
        var connected: PlainSocket?
        for address in try PlainSocket.resolve(host: host, port: port) {
            let socket = try PlainSocket.open(family: address.family)
            // Registered before connecting, so that `stop` can interrupt the connect too.
            guard register(socket) else { return }
            do {
                try socket.connect(to: address.address, timeout: connectTimeout)
                connected = socket
                break
            } catch {
                lastError = error
                unregister()
                socket.close()
                if isStopped { return }
            }
        }
        guard let socket = connected else { throw lastError }
        try socket.send(request, timeout: readTimeout)

        var decoder = PlainHTTPResponseDecoder()
        var buffer = [UInt8](repeating: 0, count: Self.readSize)
        var start = 0
        var end = 0
        var reportedStatus = false
        while true {
            if start == end {
                start = 0
                end = 0
            } else if end == buffer.count {
                // Only an incomplete head or chunk-size line is left over: move it to the front.
                buffer.withUnsafeMutableBytes { raw in
                    raw.baseAddress!.copyMemory(from: raw.baseAddress! + start, byteCount: end - start)
                }
                end -= start
                start = 0
            }
            let n = try buffer.withUnsafeMutableBytes { raw in
                try socket.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[end...]), timeout: readTimeout)
            }
            if isStopped { return }
            if n == 0 {
                if decoder.endsAtClose {
                    update { $0.finished = true }
                    return
                }
                throw HTTPClientError.remoteConnectionClosed
            }
            end += n
            let decoded = try buffer.withUnsafeBytes { raw in
                try decode(UnsafeRawBufferPointer(rebasing: raw[start..<end]), with: &decoder, reportedStatus: &reportedStatus)
            }
            guard let decoded else { return }
            start += decoded
            if decoder.isComplete {
                update { $0.finished = true }
                return
            }
        }
    }

    /// Decodes `input` straight onto the pending bytes (no second copy of the body), first waiting
    /// while they are over the mark, and wakes the consumer when there is news. Returns the bytes of
    /// `input` consumed, or nil once the consumer stopped. The lock is held for one decode of at most
    /// `readSize` bytes, so a consumer taking the bytes waits for no more than that.
    private func decode(_ input: UnsafeRawBufferPointer, with decoder: inout PlainHTTPResponseDecoder,
                        reportedStatus: inout Bool) throws -> Int? {
        condition.lock()
        while state.pending.count >= highWaterMark && !state.stopped { condition.wait() }
        if state.stopped {
            condition.unlock()
            return nil
        }
        let before = state.pending.count
        let consumed: Int
        do {
            consumed = try decoder.decode(input, body: &state.pending)
        } catch {
            condition.unlock()
            throw error
        }
        state.status = decoder.status
        var waiter: CheckedContinuation<Void, Never>?
        if state.pending.count > before || (decoder.status != nil && !reportedStatus) {
            reportedStatus = decoder.status != nil
            waiter = state.waiter
            state.waiter = nil
        }
        condition.unlock()
        waiter?.resume()
        return consumed
    }

    private func update(_ change: (inout State) -> Void) {
        condition.lock()
        change(&state)
        let waiter = state.waiter
        state.waiter = nil
        condition.unlock()
        waiter?.resume()
    }

    private func register(_ socket: PlainSocket) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !state.stopped else {
            socket.close()
            return false
        }
        state.socket = socket
        return true
    }

    private func unregister() {
        condition.lock()
        state.socket = nil
        condition.unlock()
    }

    private var isStopped: Bool {
        condition.lock()
        defer { condition.unlock() }
        return state.stopped
    }
}
