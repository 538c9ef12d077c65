import Foundation
/// Parquet compression codec names accepted in `lake.yaml`.
package enum CompressionName: String, Sendable, CaseIterable {
    case snappy, zstd, none
}

/// `lake.yaml`: where the lake and the feed files are, how to reach ksqlDB, how to write Parquet,
/// and the defaults feeds inherit. Relative paths are resolved against the file's directory.
package struct LakeConfig: Sendable, Equatable {
    /// How to reach ksqlDB. Credentials are named environment variables, never values.
    package struct KsqlDB: Sendable, Equatable {
        package var url = "http://127.0.0.1:8088"
        package var timeoutSeconds = 30
        package var connectTimeoutSeconds = 10
        package var caFile: String?
        package var insecureSkipVerify = false
        package var userEnv: String?
        package var passwordEnv: String?
        /// `http://host:port` of an HTTP proxy, when ksqlDB is reached through one.
        package var proxy: String?
        /// The longest response line (one row) a query may send before it fails (`max_row_bytes`).
        package var maxRowBytes = 16 << 20
        /// The longest a query may take in total (`query_timeout_seconds`); nil: no limit.
        package var queryTimeoutSeconds: Int?
    }

    /// Parquet writing settings shared by every feed.
    package struct ParquetSettings: Sendable, Equatable {
        package var compression: CompressionName = .snappy
        /// Rows per row group (the seed's BATCH_SIZE).
        package var rowGroupRows = 10_000
        /// Rows per data file before a new file is started.
        package var fileMaxRows = 1_000_000
        /// Readers the files must suit beyond the usual ones (`compatibility`).
        package var compatibility: ParquetCompatibility = .all
    }

    /// Defaults that feeds inherit when they do not say.
    package struct Defaults: Sendable, Equatable {
        package var streamRetentionDays = 365
        package var streamAccess: AccessLevel = .internal
        package var timestampColumn = "ROWTIME"
        package var latenessMinutes = 60
        package var tableVersionsToKeep = 7
        package var tableAccess: AccessLevel = .internal
        /// `table_format` at the top of lake.yaml: hive for lakes that do not say (as before the log).
        package var tableFormat: TableFormat = .hive
        /// `defaults.streams.checks` / `defaults.tables.checks`: for feeds whose file has no `checks`.
        package var streamChecks: [QualityCheck] = []
        package var tableChecks: [QualityCheck] = []
        package var streamOnCheckFailure: CheckFailureAction?
        package var tableOnCheckFailure: CheckFailureAction?
    }

    /// `storage.s3`: how to reach the bucket of an `s3://` root. Secrets are never here: only the
    /// names of the environment variables that hold them.
    package struct S3Settings: Sendable, Equatable {
        package var endpoint: String?
        package var region: String?
        /// nil: on when an endpoint is set (MinIO, R2, moto), off for AWS.
        package var pathStyle: Bool?
        package var accessKeyEnv = "AWS_ACCESS_KEY_ID"
        package var secretKeyEnv = "AWS_SECRET_ACCESS_KEY"
    }

    /// The `lake.yaml` path as the user named it (used in messages).
    package var path: String
    /// Lake root, resolved against the config's directory.
    package var root: String
    /// Feeds directory, resolved against the config's directory.
    package var feedsDirectory: String
    package var ksqldb = KsqlDB()
    package var parquet = ParquetSettings()
    package var defaults = Defaults()
    package var s3 = S3Settings()
    /// A local lake's second directory, which stream partitions older than a feed's
    /// `tier_after_days` move to (resolved like `root`).
    package var tierRoot: String?
    /// Feeds whose exports, snapshots and maintenance run at once during an apply (each feed's own
    /// actions in order); by default one per core, since an export keeps about one core busy.
    package var maxParallelFeeds = ProcessInfo.processInfo.activeProcessorCount

    package init(path: String, root: String, feedsDirectory: String) {
        self.path = path
        self.root = root
        self.feedsDirectory = feedsDirectory
    }

    package static let topKeys = ["root", "tier_root", "table_format", "feeds_dir", "ksqldb", "parquet", "defaults", "storage", "max_parallel_feeds"]
}
