/// Renders a plan as a pull-request comment: the summary first, the details folded.
package struct MarkdownPlanRenderer {
    package init() {}

    package func render(_ plan: Plan) -> String {
        var out = "### datalake plan\n\n**\(plan.summary)**\n"
        for w in plan.warnings { out += "\n> ⚠️ \(w.description)\n" }
        guard plan.hasWork else { return out }
        out += "\n| action | count |\n|---|---:|\n"
        for (kind, n) in plan.counts { out += "| \(kind.rawValue) | \(n) |\n" }
        out += "\n<details><summary>Details (\(Plural.count(plan.actions.count, "action")))</summary>\n\n```diff\n"
        let text = TextPlanRenderer(color: false)
        for action in plan.actions {
            out += "\(Self.marker(action.kind)) \(text.headline(action))\n"
            for c in action.changes { out += "!     \(c.field): \(c.before) → \(c.after)\n" }
        }
        out += "```\n\n</details>\n"
        return out
    }

    /// The line's first character in a `diff` block, where + shows green, - red, ! orange and a
    /// space stays plain: exports and snapshots move data into the lake as every run does, so they
    /// must not read as new resources the way registrations do.
    static func marker(_ kind: PlanActionKind) -> String {
        switch kind {
        case .register, .enable, .restore: return "+"
        case .disable, .archive, .cleanup, .prune, .expire, .expireLog: return "-"
        case .update, .convert, .chmod, .tier: return "!"
        case .export, .snapshot: return "  →"
        }
    }
}
