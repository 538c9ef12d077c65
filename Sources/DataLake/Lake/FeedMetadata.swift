/// `_metadata.json` of one feed: the seed's fields plus what exports need (schema, watermark,
/// per-file row counts, table versions). Writing it is the commit point of every export: data files
/// exist under hidden names until the metadata that lists them is durable.
package struct FeedMetadata: Sendable, Equatable {
    /// One committed data file, relative to the feed directory.
    package struct DataFile: Sendable, Equatable {
        package var path: String
        package var rows: Int
        package var bytes: Int
        /// Smallest and largest event time (epoch ms) in the file, streams only.
        package var minTime: Int64?
        package var maxTime: Int64?
        package var exportedAt: String

        package init(path: String, rows: Int, bytes: Int, minTime: Int64? = nil, maxTime: Int64? = nil, exportedAt: String) {
            self.path = path
            self.rows = rows
            self.bytes = bytes
            self.minTime = minTime
            self.maxTime = maxTime
            self.exportedAt = exportedAt
        }
    }

    /// One table snapshot version.
    package struct Version: Sendable, Equatable {
        package var number: Int
        package var file: DataFile
        /// Order-independent hash of the snapshot's rows: equal content makes no new version.
        package var contentHash: String
    }

    /// One column of the exported schema, with ksqlDB's type spelling.
    package struct Column: Sendable, Equatable {
        package var name: String
        package var type: String
    }

    package var source: String
    package var type: FeedType
    package var lastExport: String?
    package var files: [DataFile] = []
    package var schema: [Column] = []
    /// Streams: exclusive upper bound (epoch ms) of the ROWTIMEs exported so far.
    package var watermark: Int64?
    /// Streams: the lateness (ms) of the last export.
    package var latenessMs: Int64?
    /// Streams: the earliest ROWTIME the overlap file's fingerprints cover (they cover
    /// [overlapFrom, watermark)). Rows before it were exported without a fingerprint: no export may
    /// read them again, whatever lateness_minutes says now.
    package var overlapFrom: Int64?

    /// Where the fingerprints start, also for metadata written before `overlap_from` existed.
    package var coveredFrom: Int64? { overlapFrom ?? watermark.flatMap { w in latenessMs.map { w - $0 } } }
    /// Streams: name of the `_overlap_<stamp>.bin` file holding the fingerprints of the rows exported
    /// in [watermark - lateness, watermark), used to drop them when they are read again.
    package var overlapFile: String?
    /// The feed's SipHash key (32 hex digits) for row fingerprints; nil in metadata written before
    /// fingerprints were keyed (those used FNV-1a, and move to a key on their next full export).
    package var fingerprintKey: String?
    /// Tables: versions kept, oldest first.
    package var versions: [Version] = []
    /// Delta feeds: the log version this metadata summarises, the transaction version (the `txn` of
    /// appId = the feed) of datalake's last commit, and the table's id. A `delta_txn` above the
    /// log's is a commit decided (files pending) whose log commit the clean-up still has to write.
    package var deltaVersion: Int?
    package var deltaTxn: Int64?
    package var deltaTableId: String?
    /// The quality checks of the last committed export or snapshot.
    package struct CheckResult: Sendable, Equatable {
        package var check: String
        package var severity: String
        package var rowsChecked: Int
        package var rowsFailed: Int
    }
    package var lastChecks: [CheckResult] = []
    /// Files committed by this metadata but possibly still under their hidden temporary name
    /// (a crash between the commit and the renames): the next apply finishes the renames.
    package var pending: [String] = []
    /// Streams under `on_check_failure: quarantine`: the committed quarantine files, relative to
    /// `quarantine/<feed>`, and those of them still pending (committed with the data, in one step).
    package var quarantineFiles: [DataFile] = []
    package var pendingQuarantine: [String] = []

    /// True while a commit is decided but not finished (data or quarantine files pending).
    package var hasPending: Bool { !pending.isEmpty || !pendingQuarantine.isEmpty }

    package init(source: String, type: FeedType) {
        self.source = source
        self.type = type
    }

    /// Streams: every row exported; tables: the rows of the latest snapshot.
    package var totalRecords: Int { type == .table ? (latestVersion?.file.rows ?? 0) : files.reduce(0) { $0 + $1.rows } }
    package var totalBytes: Int { files.reduce(0) { $0 + $1.bytes } }
    /// Distinct partition directories (`year=…/month=…/day=…` or `version=vN`), sorted.
    package var partitions: [String] {
        Array(Set(files.map { $0.path.asPath.directory })).sorted()
    }
    package var latestVersion: Version? { versions.last }

    package static let fileName = "_metadata.json"
}

/// Splits a relative path without Foundation.
struct RelativePath {
    let path: String
    init(_ path: String) { self.path = path }
    var directory: String {
        guard let slash = path.utf8.lastIndex(of: 0x2F) else { return "" }
        return String(path[..<slash])
    }
    var name: String {
        guard let slash = path.utf8.lastIndex(of: 0x2F) else { return path }
        return String(path[path.utf8.index(after: slash)...])
    }
}

extension String {
    var asPath: RelativePath { RelativePath(self) }
}
