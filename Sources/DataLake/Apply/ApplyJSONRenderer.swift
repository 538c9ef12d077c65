/// `apply --format json`: newline-delimited JSON on stdout, one object a line, each with
/// `format_version` and `type` — `plan` first (what will run), then `action` as each action
/// finishes (in plan order), then one `summary` — so a pipeline can follow an apply as it goes and
/// still read its outcome from the last line.
package struct ApplyJSONRenderer {
    package init() {}

    package func plan(_ plan: Plan, offline: Bool) -> String {
        line("plan", [
            ("summary", .string(plan.summary)),
            ("changes", .bool(plan.hasChanges)),
            ("offline", .bool(offline)),
            ("actions", .array(plan.actions.enumerated().map { index, a in
                .object([("index", .int(index)), ("action", .string(a.kind.rawValue)), ("feed", .string(a.feed)),
                         ("feed_type", .string(a.feedType.rawValue))] + (a.reason.map { [("reason", JSONValue.string($0))] } ?? []))
            })),
        ])
    }

    package func action(_ r: ActionResult) -> String {
        var pairs: [(String, JSONValue)] = [
            ("index", .int(r.index)),
            ("action", .string(r.action.kind.rawValue)),
            ("feed", .string(r.action.feed)),
            ("feed_type", .string(r.action.feedType.rawValue)),
            ("status", .string(Self.status(r))),
            ("changed", .bool(r.changed)),
            ("seconds", .double((r.seconds * 1000).rounded() / 1000)),
        ]
        if let o = r.outcome {
            pairs += [("rows", .int(o.rows)), ("bytes", .int(o.bytes)), ("files", .array(o.files.map(JSONValue.string)))]
            if o.duplicatesDropped > 0 { pairs.append(("duplicates_dropped", .int(o.duplicatesDropped))) }
            if o.pastRetention > 0 { pairs.append(("past_retention", .int(o.pastRetention))) }
            if o.quarantined > 0 {
                pairs += [("quarantined", .int(o.quarantined)), ("quarantine_files", .array(o.quarantineFiles.map(JSONValue.string)))]
            }
            if !o.checks.isEmpty { pairs.append(("checks", .array(o.checks.map(\.json)))) }
        }
        if let error = r.error { pairs.append(("error", .string(error))) }
        pairs.append(("message", .string(r.message)))
        return line("action", pairs)
    }

    package func summary(_ s: ApplySummary) -> String {
        var pairs: [(String, JSONValue)] = [
            ("status", .string(s.status.rawValue)),
            ("actions", .int(s.actions)),
            ("done", .int(s.done)),
            ("changed", .int(s.changed)),
            ("skipped", .int(s.skipped)),
            ("failed", .array(s.failures.map { f in
                .object([("index", .int(f.index)), ("action", .string(f.action.kind.rawValue)), ("feed", .string(f.action.feed)),
                         ("error", .string(f.error ?? ""))])
            })),
        ]
        if let reason = s.reason { pairs.append(("reason", .string(reason))) }
        pairs.append(("log", .from(s.log)))
        pairs.append(("message", .string(s.text)))
        return line("summary", pairs)
    }

    static func status(_ r: ActionResult) -> String {
        if r.interrupted { return "interrupted" }
        if r.error != nil { return r.skipped ? "skipped" : "failed" }
        return r.changed ? "changed" : "unchanged"
    }

    private func line(_ type: String, _ pairs: [(String, JSONValue)]) -> String {
        JSONDocument.versioned([("type", .string(type))] + pairs).rendered(pretty: false)
    }
}
