/// Renders a plan for a terminal, Terraform-style: a symbol per action, changed fields as
/// `before → after`, one summary line. Colors only when asked (the CLI decides: TTY and no NO_COLOR).
package struct TextPlanRenderer {
    package var color: Bool

    package init(color: Bool) { self.color = color }

    package func render(_ plan: Plan) -> String {
        var out = ""
        for w in plan.warnings { out += w.description + "\n" }
        guard plan.hasWork else { return out + plan.summary + "\n" }
        out += "datalake will perform the following actions:\n\n"
        for action in plan.actions {
            out += "  " + paint(action.kind.symbol, for: action.kind) + " " + headline(action) + "\n"
            for change in action.changes {
                out += "      \(change.field): \(change.before) → \(change.after)\n"
            }
            // An export lists the overlap file its commit replaces; the other kinds what they delete or change.
            let verb = action.kind == .export ? "replaces " : ""
            for path in action.paths {
                out += "      \(verb)\(path.path)" + (path.bytes > 0 ? " (\(ByteCount.human(path.bytes)))" : "") + "\n"
            }
            for path in action.abortUploads { out += "      aborts the upload of \(path.path)\n" }
            for path in action.publish {
                out += "      publishes \(path.path)" + (path.bytes > 0 ? " (\(ByteCount.human(path.bytes)))" : "") + "\n"
            }
        }
        out += "\n" + plan.summary + "\n"
        return out
    }

    func headline(_ action: PlanAction) -> String {
        let a = action
        var text = "\(a.kind.rawValue) \(a.feedType.rawValue) \(a.feed)"
        switch a.kind {
        case .register: text += " (ksqlDB \(a.spec.source))"
        case .archive: text += " — data is kept"
        case .export:
            if let w = action.window {
                text += w.from.map { " (events from \(Clock.iso8601Millis($0)))" } ?? " (all events)"
                if let day = w.day { text += " on \(day)" }
            }
        case .prune, .expire, .cleanup, .chmod, .tier, .expireLog:
            let total = action.paths.reduce(0) { $0 + $1.bytes }
            text += " (\(Plural.count(action.paths.count, "path"))" + (total > 0 ? ", \(ByteCount.human(total))" : "") + ")"
        default: break
        }
        if let reason = a.reason { text += " (\(reason))" }
        if a.kind.isRoutine, !a.spec.checks.isEmpty {
            text += " [checks: " + a.spec.checks.map { $0.name + ($0.severity == .warn ? " (warn)" : "") }.joined(separator: ", ") + "]"
        }
        if a.condition == .newVersion { text += " [only if the snapshot makes a new version]" }
        if a.destructive { text = "DESTROYS " + text }
        return text
    }

    func paint(_ s: String, for kind: PlanActionKind) -> String {
        guard color else { return s }
        let code: String
        switch kind {
        case .register, .enable, .restore: code = "32"
        case .update: code = "33"
        case .disable, .archive, .cleanup, .prune, .expire, .expireLog: code = "31"
        case .export, .snapshot: code = "36"
        case .chmod, .tier, .convert: code = "33"
        }
        return "\u{1B}[\(code)m\(s)\u{1B}[0m"
    }
}
