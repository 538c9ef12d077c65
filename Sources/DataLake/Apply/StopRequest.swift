import Synchronization

/// A request to stop an apply at its next safe point, made from another thread (the CLI's signal
/// handler) while the apply runs. The applier checks it between actions, and exports and snapshots
/// check it between batches of rows: a stop there goes through the export's failure path, so the
/// staged files are dropped and the feed's committed state (its watermark) stays as it was. A query
/// waiting on a silent server is ended by cancelling the apply's task (`onRequest`): only the
/// queries await, and a cancelled query fails its action the same way; commits never await.
package final class StopRequest: Sendable {
    private struct State {
        var reason: String?
        var handlers: [@Sendable () -> Void] = []
    }

    private let state = Mutex(State())

    package init() {}

    /// Records the request with why it was made ("SIGTERM"); false when one was made already.
    @discardableResult
    package func request(_ reason: String) -> Bool {
        let handlers: [@Sendable () -> Void]? = state.withLock { s in
            guard s.reason == nil else { return nil }
            s.reason = reason
            defer { s.handlers = [] }
            return s.handlers
        }
        handlers?.forEach { $0() }
        return handlers != nil
    }

    /// Runs `handler` when the stop is requested (at once if it was already).
    package func onRequest(_ handler: @escaping @Sendable () -> Void) {
        let now = state.withLock { s in
            if s.reason == nil { s.handlers.append(handler) }
            return s.reason != nil
        }
        if now { handler() }
    }

    /// Why the stop was requested; nil while none was.
    package var reason: String? { state.withLock { $0.reason } }

    /// Throws `ApplyStopped` once a stop was requested.
    package func check() throws(ApplyStopped) {
        if let reason { throw ApplyStopped(reason: reason) }
    }
}

/// What an export or snapshot throws when its apply was asked to stop: it ends the action before
/// its commit, through the same path as a failed query.
package struct ApplyStopped: Error, CustomStringConvertible {
    package var reason: String
    package var description: String { "interrupted (\(reason))" }
}
