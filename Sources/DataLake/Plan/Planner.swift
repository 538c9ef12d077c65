/// Diffs the desired state against the registry and produces the ordered action list.
/// Pure: reads nothing from disk itself, so it is tested with values.
package struct Planner {
    package var desired: DesiredState
    package var registry: Registry
    /// Limits the plan to these feeds (`--target`); nil means all.
    package var targets: Set<String>?

    package init(desired: DesiredState, registry: Registry, targets: Set<String>? = nil) {
        self.desired = desired
        self.registry = registry
        self.targets = targets
    }

    /// The plan, or every reason it cannot be made (e.g. archiving a protected feed).
    package func plan(now: String) throws(DiagnosticsError) -> Plan {
        var actions: [PlanAction] = []
        var errors: [Diagnostic] = []
        let desiredByName = Dictionary(uniqueKeysWithValues: desired.feeds.map { ($0.spec.name, $0) })
        let names = Set(desiredByName.keys).union(registry.feeds.keys).sorted()

        for name in names {
            if let targets, !targets.contains(name) { continue }
            let want = desiredByName[name]
            let have = registry.feeds[name]
            switch (want, have) {
            case let (want?, nil):
                if want.spec.archived { continue } // declared archived and never registered: nothing to keep
                actions.append(PlanAction(kind: .register, feed: name, feedType: want.spec.type, spec: want.spec))
            case let (want?, have?) where have.state == .active:
                if want.spec.archived {
                    if let e = protectionError(name, want: want, have: have) { errors.append(e); continue }
                    actions.append(PlanAction(kind: .archive, feed: name, feedType: have.record.spec.type,
                                              spec: have.record.spec, reason: "marked archived"))
                    continue
                }
                let changes = Self.changes(from: have.record.spec, to: want.spec)
                if !changes.isEmpty || have.record.specHash != have.record.spec.hash && have.record.specHash != nil {
                    var spec = want.spec
                    spec.enabled = have.record.spec.enabled
                    if have.record.spec.type != want.spec.type {
                        errors.append(Diagnostic("feed \"\(name)\" is registered as a \(have.record.spec.type.rawValue); changing feed_type is not supported: archive it and declare a new feed",
                                                 at: want.location))
                        continue
                    }
                    actions.append(PlanAction(kind: .update, feed: name, feedType: want.spec.type, changes: changes, spec: spec,
                                              reason: changes.isEmpty ? "rewrite a hand-edited registry record" : nil))
                }
                if want.spec.enabled != have.record.spec.enabled {
                    actions.append(PlanAction(kind: want.spec.enabled ? .enable : .disable, feed: name,
                                              feedType: want.spec.type, spec: want.spec))
                }
            case let (want?, have?):
                // Archived in the registry.
                if want.spec.archived { continue }
                actions.append(PlanAction(kind: .restore, feed: name, feedType: want.spec.type,
                                          changes: Self.changes(from: have.record.spec, to: want.spec), spec: want.spec,
                                          reason: "declared again in \(want.location.file)"))
            case let (nil, have?):
                guard have.state == .active else { continue }
                if have.record.spec.protect {
                    errors.append(Diagnostic("feed \"\(name)\" is protected and cannot be archived: its file was removed from the feeds directory; restore it, set `protect: false` and apply, then remove it",
                                             file: have.path))
                    continue
                }
                actions.append(PlanAction(kind: .archive, feed: name, feedType: have.record.spec.type,
                                          spec: have.record.spec, reason: "no feed file declares it"))
            case (nil, nil):
                break
            }
        }
        if !errors.isEmpty { throw DiagnosticsError(errors) }
        // Stable sort keeps name order inside each phase.
        let ordered = actions.enumerated().sorted { ($0.element.kind.phase, $0.offset) < ($1.element.kind.phase, $1.offset) }.map(\.element)
        return Plan(createdAt: now, configDigest: desired.digest, registryDigest: registry.digest, actions: ordered,
                    warnings: desired.warnings + registry.warnings)
    }

    func protectionError(_ name: String, want: FeedDefinition, have: RegisteredFeed) -> Diagnostic? {
        guard want.spec.protect || have.record.spec.protect else { return nil }
        return Diagnostic("feed \"\(name)\" is protected and cannot be archived: set `protect: false`, apply, then archive it",
                          at: want.location)
    }

    /// Field-by-field differences; `created_at` only when the file states one.
    package static func changes(from old: FeedSpec, to new: FeedSpec) -> [FieldChange] {
        let before = Dictionary(old.comparableFields.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        return new.comparableFields.compactMap { field in
            let was = before[field.key] ?? "-"
            return was == field.value ? nil : FieldChange(field: field.key, before: was, after: field.value)
        }
    }
}
