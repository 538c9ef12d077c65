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
            // In a `diff` block: + shows green, - red, ! orange.
            let marker = action.kind == .update ? "!" : (action.kind == .disable || action.kind == .archive ? "-" : "+")
            out += "\(marker) \(text.headline(action))\n"
            for c in action.changes { out += "!     \(c.field): \(c.before) → \(c.after)\n" }
        }
        out += "```\n\n</details>\n"
        return out
    }
}
