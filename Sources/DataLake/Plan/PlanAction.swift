/// What one plan step does. Feed lifecycle kinds come first; data kinds (exports, snapshots,
/// pruning, retention, permissions, clean-up) join the same list.
package enum PlanActionKind: String, Sendable, CaseIterable, Codable {
    case register, update, disable, enable, archive, restore

    /// Terraform-like symbol for text renderers.
    package var symbol: String {
        switch self {
        case .register: return "+"
        case .update: return "~"
        case .disable: return "-"
        case .enable: return "+"
        case .archive: return ">"
        case .restore: return "<"
        }
    }

    /// Phase used to order the plan: registrations and updates, then state changes, then archives.
    package var phase: Int {
        switch self {
        case .register, .update, .restore: return 0
        case .disable, .enable: return 1
        case .archive: return 2
        }
    }

    /// Past-tense verb for summaries ("3 to register").
    package var summaryNoun: String { rawValue }
}

/// One changed field of an update: display text before and after.
package struct FieldChange: Sendable, Hashable {
    package var field: String
    package var before: String
    package var after: String

    package init(field: String, before: String, after: String) {
        self.field = field
        self.before = before
        self.after = after
    }
}

/// One step of a plan, complete enough to be executed from a saved plan file without re-reading
/// the config: record-writing steps carry the whole record to write.
package struct PlanAction: Sendable {
    package var kind: PlanActionKind
    package var feed: String
    package var feedType: FeedType
    /// For updates (and restores that change fields).
    package var changes: [FieldChange]
    /// The spec to write for register/update/enable/disable/restore; the current spec for archive.
    package var spec: FeedSpec
    /// Why, when it is not obvious ("feeds.d/x.yaml no longer declares it").
    package var reason: String?

    package init(kind: PlanActionKind, feed: String, feedType: FeedType, changes: [FieldChange] = [],
                 spec: FeedSpec, reason: String? = nil) {
        self.kind = kind
        self.feed = feed
        self.feedType = feedType
        self.changes = changes
        self.spec = spec
        self.reason = reason
    }
}
