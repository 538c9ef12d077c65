/// How an apply ended, from its plan and results: what the closing line says, what
/// `apply --format json` puts in its last object, and which exit the CLI takes.
package struct ApplySummary: Sendable {
    package enum Status: String, Sendable {
        /// Every action ran without error.
        case complete
        /// An action failed (its feed's later actions were skipped, other feeds went on).
        case failed
        /// A stop request (SIGINT, SIGTERM) ended the apply before some actions ran.
        case interrupted
    }

    package var status: Status
    package var actions: Int
    package var done: Int
    package var changed: Int
    /// Actions that failed on their own (not skipped after a failure, not stopped by a request).
    package var failures: [ActionResult]
    /// Actions skipped because an earlier action of their feed failed.
    package var skipped: Int
    /// The interruption's reason and the line naming what did not run.
    package var reason: String?
    package var interruption: String?
    package var log: String?

    package init(plan: Plan, results: [ActionResult], stopReason: String?, log: String?) {
        actions = plan.actions.count
        done = results.count { $0.error == nil }
        changed = results.count { $0.changed }
        failures = results.filter { $0.error != nil && !$0.interrupted && !$0.skipped }
        skipped = results.count(where: \.skipped)
        self.log = log
        if let stopReason, let line = Applier.interruption(plan, results: results, reason: stopReason) {
            status = .interrupted
            reason = stopReason
            interruption = line
        } else {
            status = failures.isEmpty ? .complete : .failed
        }
    }

    /// The closing line of the text output.
    package var text: String {
        let logNote = log.map { " Log: \($0)" } ?? ""
        switch status {
        case .interrupted: return interruption! + "." + logNote
        case .failed: return "Apply failed: \(done) of \(Plural.count(actions, "action")) done." + logNote
        case .complete: return "Apply complete: \(Plural.count(done, "action")) done, \(changed) changed the lake." + logNote
        }
    }
}
