import LakeStorage

/// Whether a feed exports an append-only stream or snapshots a table.
package enum FeedType: String, Sendable, Hashable, CaseIterable {
    case stream, table
}

/// How a feed's data is stored: streams append, tables overwrite (as new versions).
package enum StorageMode: String, Sendable, Hashable, CaseIterable {
    case append, overwrite
}

/// Who may read a feed's files: the seed's chmod advice made declarative.
package enum AccessLevel: String, Sendable, Hashable, CaseIterable {
    case restricted, `internal`, `public`

    package var directoryMode: UInt16 { self == .restricted ? 0o750 : 0o755 }
    package var fileMode: UInt16 { self == .restricted ? 0o640 : 0o644 }
}

/// What a plan accepts when the source's columns differ from the last export's.
package enum SchemaPolicy: String, Sendable, Hashable, CaseIterable {
    /// New nullable columns are added; removed or retyped columns are refused.
    case additive
    /// Any change is refused.
    case strict
}

/// The unit of a BIGINT event-time column.
package enum TimestampUnit: String, Sendable, Hashable, CaseIterable {
    case ms, s
}

/// Whether a feed is a Delta Lake table (a `_delta_log/` commits every change atomically) or plain
/// hive-partitioned Parquet, as before the log existed.
package enum TableFormat: String, Sendable, Hashable, CaseIterable {
    case hive, delta
}

/// How a feed's files are laid out: `date` (year=/month=/day= for streams) or `version` (tables).
package struct Partitioning: Sendable, Hashable {
    package var type: String
    package var columns: [String]

    package static let date = Partitioning(type: "date", columns: ["year", "month", "day"])
    package static let version = Partitioning(type: "version", columns: ["version"])

    package init(type: String, columns: [String]) {
        self.type = type
        self.columns = columns
    }
}

/// One feed as the desired state declares it, with every default already resolved, so that the
/// same value compares equal whether it came from `feeds.d`, the registry or a saved plan.
package struct FeedSpec: Sendable, Hashable {
    package var name: String
    package var type: FeedType
    package var source: String
    package var description: String
    package var partitioning: Partitioning
    package var storageMode: StorageMode
    package var format: String
    /// Days of stream partitions to keep; kept on tables only for seed compatibility (unused there).
    package var retentionDays: Int?
    /// Table versions to keep; nil for streams.
    package var versionsToKeep: Int?
    package var enabled: Bool
    /// ISO-8601 creation time; nil when the file does not say (the registry then records the apply time).
    package var createdAt: String?
    package var access: AccessLevel
    /// Event-time column used for date partitions (streams); `ROWTIME` by default.
    package var timestampColumn: String?
    /// The unit of a BIGINT `timestamp_column` (`ms` or `s`); a TIMESTAMP column needs none.
    package var timestampUnit: TimestampUnit?
    /// A row whose event time is null goes to its ROWTIME's day instead of failing the export.
    package var timestampFallbackToRowtime = false
    package var protect: Bool
    package var archived: Bool
    /// Streams: how late (minutes after the watermark) an event may arrive and still be exported once.
    package var latenessMinutes: Int?
    /// How a source schema change is handled: `additive` (new nullable columns only) or `strict`.
    package var schemaPolicy: SchemaPolicy
    /// Streams: day partitions older than this many days move to cheaper storage (`tier` actions).
    package var tierAfterDays: Int?
    /// The S3 storage class they move to (S3 lakes; a local lake moves them to `tier_root`).
    package var tierStorageClass: String?
    /// `delta`: every export, snapshot and deletion is also a commit of the feed's Delta log.
    package var tableFormat: TableFormat = .hive
    /// Delta feeds: days log entries are kept once a later checkpoint holds their state (nil: 30).
    package var logRetentionDays: Int?
    package static let defaultLogRetentionDays = 30
    /// Data quality checks run on every export or snapshot before its commit.
    package var checks: [QualityCheck] = []
    /// What an error-severity check that fails does to the commit.
    package var onCheckFailure: CheckFailureAction = .fail

    /// Storage classes a reader can read at once: GLACIER and DEEP_ARCHIVE objects need a restore
    /// before any GET, so every reader of the feed would fail on them.
    package static let tierStorageClasses = ["STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER_IR"]
    package static let defaultTierStorageClass = "STANDARD_IA"

    /// The tier this feed's old partitions move to on a lake that tiers this way, or nil when the
    /// feed does not tier (or cannot there).
    package func tierTarget(_ tiering: Tiering) -> String? {
        guard tierAfterDays != nil else { return nil }
        switch tiering {
        case .storageClasses: return tierStorageClass ?? Self.defaultTierStorageClass
        case .secondRoot: return tierStorageClass == nil ? Tiering.secondRootName : nil
        case .none: return nil
        }
    }

    package init(name: String, type: FeedType, source: String, description: String = "",
                 partitioning: Partitioning? = nil, storageMode: StorageMode? = nil, format: String = "parquet",
                 retentionDays: Int? = nil, versionsToKeep: Int? = nil, enabled: Bool = true,
                 createdAt: String? = nil, access: AccessLevel = .internal, timestampColumn: String? = nil,
                 protect: Bool = false, archived: Bool = false, latenessMinutes: Int? = nil,
                 schemaPolicy: SchemaPolicy = .additive, timestampUnit: TimestampUnit? = nil, timestampFallbackToRowtime: Bool = false,
                 tierAfterDays: Int? = nil, tierStorageClass: String? = nil) {
        self.tierAfterDays = tierAfterDays
        self.tierStorageClass = tierStorageClass
        self.timestampUnit = timestampUnit
        self.timestampFallbackToRowtime = timestampFallbackToRowtime
        self.name = name
        self.type = type
        self.source = source
        self.description = description
        self.partitioning = partitioning ?? (type == .stream ? .date : .version)
        self.storageMode = storageMode ?? (type == .stream ? .append : .overwrite)
        self.format = format
        self.retentionDays = retentionDays
        self.versionsToKeep = versionsToKeep
        self.enabled = enabled
        self.createdAt = createdAt
        self.access = access
        self.timestampColumn = timestampColumn
        self.protect = protect
        self.archived = archived
        self.latenessMinutes = latenessMinutes ?? (type == .stream ? 60 : nil)
        self.schemaPolicy = schemaPolicy
    }

    /// The keys a feed file may use, in the order they are written and documented.
    package static let keys = [
        "feed_name", "feed_type", "ksqldb_source", "description", "partitioning", "storage_mode", "format",
        "retention_days", "versions_to_keep", "enabled", "created_at", "access", "timestamp_column",
        "protect", "archived", "lateness_minutes", "schema_policy", "timestamp_unit", "timestamp_fallback",
        "tier_after_days", "tier_storage_class", "table_format", "log_retention_days", "checks", "on_check_failure",
    ]
}
