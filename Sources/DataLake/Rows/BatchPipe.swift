import Foundation

/// A bounded hand-off of row batches from the parsing thread to one encoding thread, with a pool of
/// emptied batches going back; the first encoding error is kept for the producer to rethrow.
final class BatchPipe: @unchecked Sendable {
    private let condition = NSCondition()
    private var full: [FlatRowBatch] = []
    private var empty: [FlatRowBatch] = []
    private var closed = false
    private var busy = false
    private(set) var failure: Error?

    init(batches: Int, columnCount: Int) {
        empty = (0..<batches).map { _ in FlatRowBatch(columnCount: columnCount) }
    }

    /// An empty batch to fill (waits while all are in flight).
    func takeEmpty() -> FlatRowBatch {
        condition.lock()
        defer { condition.unlock() }
        while empty.isEmpty { condition.wait() }
        return empty.removeLast()
    }

    func send(_ batch: FlatRowBatch) {
        condition.lock()
        full.append(batch)
        condition.broadcast()
        condition.unlock()
    }

    /// The next batch to encode, or nil once closed and drained.
    func receive() -> FlatRowBatch? {
        condition.lock()
        defer { condition.unlock() }
        while full.isEmpty && !closed { condition.wait() }
        if full.isEmpty { return nil }
        busy = true
        return full.removeFirst()
    }

    func recycle(_ batch: FlatRowBatch, error: Error?) {
        batch.reset()
        condition.lock()
        if failure == nil, let error { failure = error }
        empty.append(batch)
        busy = false
        condition.broadcast()
        condition.unlock()
    }

    /// Waits until every sent batch has been encoded.
    func drain() {
        condition.lock()
        while !full.isEmpty || busy { condition.wait() }
        condition.unlock()
    }

    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    var currentFailure: Error? {
        condition.lock()
        defer { condition.unlock() }
        return failure
    }
}
