/// What one plan step does. Feed lifecycle kinds come first; data kinds (exports, snapshots,
/// pruning, retention, permissions, clean-up) join the same list.
package enum PlanActionKind: String, Sendable, CaseIterable {
    case register, update, disable, enable, archive, restore
    /// Remove leftovers of an interrupted export (hidden temporaries no metadata commits).
    case cleanup
    /// Start a Delta log for a feed that has data but no log: its first commit adds the files the
    /// metadata already lists (like Delta's CONVERT TO DELTA).
    case convert
    /// Append a stream's new events (incremental, from its watermark).
    case export
    /// Take a table snapshot (a new version only when the content changed).
    case snapshot
    /// Delete table versions beyond versions_to_keep, oldest first.
    case prune
    /// Delete stream day partitions older than retention_days.
    case expire
    /// Move the files of stream day partitions older than tier_after_days to cheaper storage.
    case tier
    /// Delete Delta log entries older than log_retention_days whose state a later checkpoint holds.
    case expireLog = "expire_log"
    /// Bring file and directory modes back to the feed's access level.
    case chmod

    /// Terraform-like symbol for text renderers.
    package var symbol: String {
        switch self {
        case .register: return "+"
        case .update: return "~"
        case .disable: return "-"
        case .enable: return "+"
        case .archive: return ">"
        case .restore: return "<"
        case .cleanup, .prune, .expire, .expireLog: return "-"
        case .tier: return ">"
        case .convert: return "~"
        case .export, .snapshot: return "→"
        case .chmod: return "~"
        }
    }

    /// Phase used to order the plan: registrations and updates, then state changes, then archives.
    package var phase: Int {
        switch self {
        case .register, .update, .restore: return 0
        case .disable, .enable: return 1
        case .archive: return 2
        case .cleanup, .convert: return 3
        case .export, .snapshot: return 4
        case .prune, .expire, .tier, .expireLog: return 5
        case .chmod: return 6
        }
    }

    /// Verb for summaries ("3 to register").
    package var summaryNoun: String { rawValue }

    /// Exports and snapshots run on every apply and change the lake only when the source has news.
    package var isRoutine: Bool { self == .export || self == .snapshot }
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

/// A file or directory a data action deletes or changes, relative to the lake root, with its size.
package struct PlanPath: Sendable, Hashable {
    package var path: String
    package var bytes: Int

    package init(path: String, bytes: Int) {
        self.path = path
        self.bytes = bytes
    }
}

/// What an export or snapshot reads and where it writes, fixed by the plan so that re-running an
/// interrupted apply writes the same files.
package struct ExportWindow: Sendable, Hashable {
    /// Inclusive lower bound on ROWTIME (epoch ms); nil for a first export or a table.
    package var from: Int64?
    /// Exclusive upper bound on ROWTIME (epoch ms): the plan's time.
    package var to: Int64
    /// `YYYYMMDD_HHMMSS` of the plan, used in file names.
    package var stamp: String
    /// Only this UTC day (`export --date`), as `YYYY-MM-DD`.
    package var day: String?

    package init(from: Int64?, to: Int64, stamp: String, day: String? = nil) {
        self.from = from
        self.to = to
        self.stamp = stamp
        self.day = day
    }
}

/// When an action runs only if an earlier action of the same feed did something.
package enum ActionCondition: String, Sendable, Hashable {
    /// After this feed's snapshot in the same apply made a new version (the prune of the version
    /// it pushes past versions_to_keep).
    case newVersion = "new_version"
}

/// One step of a plan, complete enough to be executed from a saved plan file without re-reading
/// the config: record-writing steps carry the whole record to write, data steps every path they
/// delete, publish or change.
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
    /// Paths a data action deletes or changes (prune, expire, cleanup, chmod), the files a tier
    /// moves; for an export, the overlap file its commit replaces.
    package var paths: [PlanPath] = []
    /// Cleanup: committed files whose publication an interrupted export did not finish.
    package var publish: [PlanPath] = []
    /// Cleanup: uploads an interrupted export began and never completed (object stores), to abort.
    package var abortUploads: [PlanPath] = []
    /// Runs only when this holds (nil: always).
    package var condition: ActionCondition?
    /// Deletes a feed's newest data (an expiry of every partition): planned only with --allow-destroy.
    package var destructive = false
    /// Export and snapshot window.
    package var window: ExportWindow?
    /// Tier: where the files move (an S3 storage class, or `tier_root`).
    package var tierTarget: String?

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
