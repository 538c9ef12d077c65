extension Applier {
    /// The line an interrupted apply ends with, in its log and on the terminal: how many actions were
    /// done and which were not run (`Interrupted (SIGTERM): 3 of 8 actions done; not run: export a,
    /// snapshot b`). Nil when every action ran: the stop came after the last one.
    package static func interruption(_ plan: Plan, results: [ActionResult], reason: String) -> String? {
        // Feeds run at once: any action may lack a result, not only those after the last one.
        let ran = Set(results.filter { !$0.interrupted }.map(\.index))
        let notRun = plan.actions.indices.filter { !ran.contains($0) }.map { plan.actions[$0] }
        guard !notRun.isEmpty else { return nil }
        let done = results.count { $0.error == nil }
        var names = notRun.prefix(Self.namedNotRun).map { "\($0.kind.rawValue) \($0.feed)" }
        if notRun.count > Self.namedNotRun { names.append("and \(notRun.count - Self.namedNotRun) more") }
        return "Interrupted (\(reason)): \(done) of \(plan.actions.count) actions done; not run: " + names.joined(separator: ", ")
    }

    /// Not-run actions named one by one; the rest are counted.
    static let namedNotRun = 20
}
