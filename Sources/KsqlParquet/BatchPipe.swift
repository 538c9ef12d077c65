import Foundation

/// A bounded hand-off of filled batches from a producing thread to one consuming thread, with the
/// emptied batches going back for reuse; the consumer's first error is kept for the producer to rethrow.
final class BatchPipe<Batch: AnyObject>: @unchecked Sendable {
    private let condition = NSCondition()
    private var full: [Batch] = []
    private var empty: [Batch]
    private var closed = false
    private var busy = false
    private var failure: Error?

    init(_ batches: [Batch]) {
        empty = batches
    }

    /// An emptied batch to fill (waits while all are in flight); the producer resets it.
    func takeEmpty() -> Batch {
        condition.lock()
        defer { condition.unlock() }
        while empty.isEmpty { condition.wait() }
        return empty.removeLast()
    }

    /// Queues a filled batch for the consumer; once closed it only goes back to the pool.
    func send(_ batch: Batch) {
        condition.lock()
        if closed { empty.append(batch) } else { full.append(batch) }
        condition.broadcast()
        condition.unlock()
    }

    /// The consumer thread's loop: runs `work` on each batch sent until the pipe is closed and empty.
    /// After the first error the remaining batches are only recycled: their rows must not follow a
    /// half-written one.
    func consume(_ work: (Batch) throws -> Void) {
        var failed = false
        while let batch = receive() {
            var error: Error?
            if !failed {
                do { try work(batch) } catch let e {
                    error = e
                    failed = true
                }
            }
            recycle(batch, error: error)
        }
    }

    private func receive() -> Batch? {
        condition.lock()
        defer { condition.unlock() }
        while full.isEmpty && !closed { condition.wait() }
        if full.isEmpty { return nil }
        busy = true
        return full.removeFirst()
    }

    private func recycle(_ batch: Batch, error: Error?) {
        condition.lock()
        if failure == nil, let error { failure = error }
        empty.append(batch)
        busy = false
        condition.broadcast()
        condition.unlock()
    }

    /// Waits until every batch sent has been consumed.
    func drain() {
        condition.lock()
        while !full.isEmpty || busy { condition.wait() }
        condition.unlock()
    }

    /// Lets the consumer finish the batches sent, then end its loop.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// Drops the batches not consumed yet, waits for the one in progress, and ends the consumer's loop:
    /// afterwards the consumer no longer touches what it writes to.
    func cancel() {
        condition.lock()
        closed = true
        empty += full
        full.removeAll()
        condition.broadcast()
        while busy { condition.wait() }
        condition.unlock()
    }

    var currentFailure: Error? {
        condition.lock()
        defer { condition.unlock() }
        return failure
    }
}
