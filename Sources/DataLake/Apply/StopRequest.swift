import Synchronization

/// A request to stop an apply at its next safe point, made from another thread (the CLI's signal
/// handler) while the apply runs. The applier checks it between actions, and exports and snapshots
/// check it between batches of rows: a stop there goes through the export's failure path, so the
/// staged files are dropped and the feed's committed state (its watermark) stays as it was.
package final class StopRequest: Sendable {
    private let state = Mutex<String?>(nil)

    package init() {}

    /// Records the request with why it was made ("SIGTERM"); false when one was made already.
    @discardableResult
    package func request(_ reason: String) -> Bool {
        state.withLock { current in
            guard current == nil else { return false }
            current = reason
            return true
        }
    }

    /// Why the stop was requested; nil while none was.
    package var reason: String? { state.withLock { $0 } }

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
