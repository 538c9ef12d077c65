/// Renders a plan as versioned JSON (schema in README.md, `format_version` 1). The same document is
/// the saved plan file that `apply PLANFILE` executes.
package struct JSONPlanRenderer {
    package init() {}

    package func render(_ plan: Plan) -> String { json(plan).rendered() }

    package func json(_ plan: Plan) -> JSONValue {
        .object([
            ("format_version", .int(Plan.formatVersion)),
            ("created_at", .string(plan.createdAt)),
            ("config_digest", .string(plan.configDigest)),
            ("registry_digest", .string(plan.registryDigest)),
            ("summary", .object([("changes", .bool(plan.hasChanges)), ("work", .bool(plan.hasWork)), ("text", .string(plan.summary))]
                + plan.counts.map { ($0.kind.rawValue, JSONValue.int($0.count)) })),
            ("warnings", .array(plan.warnings.map { .string($0.description) })),
            ("actions", .array(plan.actions.map(action))),
        ])
    }

    func action(_ a: PlanAction) -> JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("action", .string(a.kind.rawValue)),
            ("feed", .string(a.feed)),
            ("feed_type", .string(a.feedType.rawValue)),
        ]
        if let reason = a.reason { pairs.append(("reason", .string(reason))) }
        pairs.append(("changes", .array(a.changes.map {
            .object([("field", .string($0.field)), ("before", .string($0.before)), ("after", .string($0.after))])
        })))
        if !a.paths.isEmpty { pairs.append(("paths", Self.paths(a.paths))) }
        if !a.publish.isEmpty { pairs.append(("publish", Self.paths(a.publish))) }
        if !a.abortUploads.isEmpty { pairs.append(("abort_uploads", Self.paths(a.abortUploads))) }
        if let condition = a.condition { pairs.append(("when", .string(condition.rawValue))) }
        if a.destructive { pairs.append(("destructive", .bool(true))) }
        if let target = a.tierTarget { pairs.append(("tier_target", .string(target))) }
        if let w = a.window {
            pairs.append(("window", .object([("from", w.from.map { .int(Int($0)) } ?? .null), ("to", .int(Int(w.to))),
                                             ("stamp", .string(w.stamp)), ("day", .from(w.day))])))
        }
        pairs.append(("spec", a.spec.json))
        return .object(pairs)
    }

    static func paths(_ paths: [PlanPath]) -> JSONValue {
        .array(paths.map { .object([("path", .string($0.path)), ("bytes", .int($0.bytes))]) })
    }
}
