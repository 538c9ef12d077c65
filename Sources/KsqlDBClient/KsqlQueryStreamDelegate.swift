import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import Synchronization

/// Receives a streamed query response on the event loop and hands its bytes to one async consumer.
///
/// ksqlDB writes one row per HTTP chunk; waking async code per chunk caps out near 40k rows/s here.
/// So body parts are appended to one buffer under a lock, on the event loop, and the consumer takes
/// everything pending at once. Reading pauses (a future returned to the HTTP client) while more than
/// `highWaterMark` bytes wait, which bounds memory whatever the consumer's speed.
///
/// The read timeout is a watchdog here rather than AsyncHTTPClient's: that one re-arms a timer for
/// every body part, which cost a quarter of the throughput with one row per chunk.
final class KsqlQueryStreamDelegate: HTTPClientResponseDelegate, KsqlQueryByteSource {
    typealias Response = Void

    private struct State {
        var status: Int?
        var pending: [UInt8] = []
        var finished = false
        var error: (any Error)?
        var waiter: CheckedContinuation<Void, Never>?
        var readPause: EventLoopPromise<Void>?
        var wakeScheduled = false
        var abandoned = false
        var task: HTTPClient.Task<Void>?
        /// Something arrived since the watchdog last looked.
        var active = false
        /// Watchdog ticks in a row with nothing arriving while the read was not paused by us.
        var idleTicks = 0

        var hasNews: Bool { !pending.isEmpty || finished || error != nil }
    }

    private let state = Mutex(State())
    private let highWaterMark: Int

    init(highWaterMark: Int = 1 << 20) {
        self.highWaterMark = highWaterMark
    }

    func next(into bytes: inout [UInt8]) async -> KsqlQueryDelivery {
        while true {
            var taken = bytes
            bytes = []
            let (delivery, pause): (KsqlQueryDelivery?, EventLoopPromise<Void>?) = state.withLock { s in
                guard s.hasNews else { return (nil, nil) }
                swap(&taken, &s.pending)
                let pause = s.readPause
                s.readPause = nil
                return (KsqlQueryDelivery(status: s.status, finished: s.finished && s.pending.isEmpty, error: s.error), pause)
            }
            bytes = taken
            pause?.succeed()
            if let delivery { return delivery }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let ready = state.withLock { s -> Bool in
                    if s.hasNews { return true }
                    s.waiter = continuation
                    return false
                }
                if ready { continuation.resume() }
            }
        }
    }

    /// Drops what comes, never pauses the read again, and cancels the request (a no-op once it ended).
    func stop() {
        let (pause, task) = state.withLock { s -> (EventLoopPromise<Void>?, HTTPClient.Task<Void>?) in
            s.abandoned = true
            s.pending = []
            let pause = s.readPause
            s.readPause = nil
            return (pause, s.task)
        }
        pause?.succeed()
        task?.cancel()
    }

    func fail(_ error: any Error) {
        let (pause, task) = updateAndWake { s -> (EventLoopPromise<Void>?, HTTPClient.Task<Void>?) in
            guard !s.finished, s.error == nil else { return (nil, nil) }
            s.error = error
            defer { s.readPause = nil }
            return (s.readPause, s.task)
        }
        pause?.succeed()
        task?.cancel()
    }

    /// Fails the response with `HTTPClientError.readTimeout` once nothing has arrived for
    /// `readTimeout` (checked in quarters, so it fires after 1 to 1.25 times `readTimeout`). Time spent
    /// paused for the consumer does not count.
    func startWatchdog(task: HTTPClient.Task<Void>, readTimeout: TimeAmount) {
        state.withLock { $0.task = task }
        let ticks = 4
        let interval = TimeAmount.nanoseconds(max(readTimeout.nanoseconds / Int64(ticks), 1_000_000))
        task.eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { repeated in
            let expired = self.state.withLock { s -> Bool in
                if s.finished || s.error != nil || s.abandoned {
                    repeated.cancel()
                    return false
                }
                if s.active || s.readPause != nil {
                    s.active = false
                    s.idleTicks = 0
                    return false
                }
                s.idleTicks += 1
                return s.idleTicks >= ticks
            }
            guard expired else { return }
            repeated.cancel()
            // Idle means not paused by us, so there is no paused read to release.
            self.updateAndWake { s in s.error = s.error ?? HTTPClientError.readTimeout }
            task.cancel()
        }
    }

    func didReceiveHead(task: HTTPClient.Task<Void>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        state.withLock { s in
            s.status = Int(head.status.code)
            s.active = true
        }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveBodyPart(task: HTTPClient.Task<Void>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        let (scheduleWake, pause): (Bool, EventLoopFuture<Void>?) = state.withLock { s in
            if s.abandoned { return (false, nil) }
            s.active = true
            buffer.withUnsafeReadableBytes { s.pending.append(contentsOf: $0) }
            var pause: EventLoopFuture<Void>?
            if s.pending.count >= highWaterMark {
                let promise = s.readPause ?? task.eventLoop.makePromise(of: Void.self)
                s.readPause = promise
                pause = promise.futureResult
            }
            let scheduleWake = s.waiter != nil && !s.wakeScheduled
            if scheduleWake { s.wakeScheduled = true }
            return (scheduleWake, pause)
        }
        // One socket read holds many one-row chunks: wake the consumer once, after the event loop has
        // handed all of them over, rather than once per chunk.
        if scheduleWake {
            task.eventLoop.execute { self.wakeConsumer() }
        }
        return pause ?? task.eventLoop.makeSucceededVoidFuture()
    }

    private func wakeConsumer() {
        updateAndWake { $0.wakeScheduled = false }
    }

    func didReceiveError(task: HTTPClient.Task<Void>, _ error: any Error) {
        let pause = updateAndWake { s in
            s.error = s.error ?? error
            defer { s.readPause = nil }
            return s.readPause
        }
        pause?.succeed()
    }

    func didFinishRequest(task: HTTPClient.Task<Void>) throws {
        updateAndWake { $0.finished = true }
    }

    /// Applies `update` under the lock, then resumes the waiting consumer (outside the lock).
    @discardableResult
    private func updateAndWake<R>(_ update: (inout State) -> R) -> R {
        let (result, waiter) = state.withLock { s in
            let result = update(&s)
            defer { s.waiter = nil }
            return (result, s.waiter)
        }
        waiter?.resume()
        return result
    }
}
