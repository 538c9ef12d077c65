import Synchronization

/// The queries the emulator ran (accepted and streamed, on `/query-stream` or `/query`), in order,
/// so that a test can count how often a client read a source. Served by `GET /emulator/queries`,
/// cleared by `DELETE /emulator/queries` (emulator-only). Keeps the latest `capacity` entries, so a
/// long-running demo does not grow without bound; `total` counts them all.
package final class EmulatorQueryLog: Sendable {
    package struct Entry: Sendable, Equatable {
        package var sql: String
        package var endpoint: String
    }

    private struct State {
        var entries: [Entry] = []
        var total = 0
    }

    private let state = Mutex(State())
    let capacity: Int

    init(capacity: Int = 10_000) {
        self.capacity = capacity
    }

    func record(sql: String, endpoint: String) {
        state.withLock { state in
            if state.entries.count == capacity { state.entries.removeFirst() }
            state.entries.append(Entry(sql: sql, endpoint: endpoint))
            state.total += 1
        }
    }

    /// The kept entries, oldest first.
    package var entries: [Entry] { state.withLock { $0.entries } }

    /// Every query run since the start or the last `clear`.
    package var total: Int { state.withLock { $0.total } }

    package func clear() {
        state.withLock { $0 = State() }
    }

    /// `{"total": N, "queries": [{"sql": "...", "endpoint": "/query-stream"}, ...]}`.
    var json: EmulatorJSON {
        let (entries, total) = state.withLock { ($0.entries, $0.total) }
        return .object([
            ("total", .number(String(total))),
            ("queries", .array(entries.map { .object([("sql", .string($0.sql)), ("endpoint", .string($0.endpoint))]) })),
        ])
    }
}
