import KsqlDBClient
import Parquet

/// What one commit of a Delta feed adds to and removes from its table, beyond the files it
/// publishes: built by the export, the snapshot, the expiry or the conversion that makes it.
struct DeltaChange {
    struct Added {
        var relativePath: String
        var rows: Int
        var bytes: Int
        /// The file's footer, for statistics; nil when rolling forward a commit a crash interrupted
        /// (the stats then hold the row count only).
        var footer: FileMetaData?
    }

    /// The columns of the rows, for the table's schema.
    var fields: [KsqlField]
    var added: [Added] = []
    var removed: [FeedMetadata.DataFile] = []
    /// `WRITE`, `DELETE`, `CONVERT`.
    var operation: String
    /// `Append` or `Overwrite` for writes.
    var mode: String?
    /// The quality checks' results, recorded in the commit's `commitInfo`.
    var checks: [CheckOutcome] = []
    /// A `metaData` action goes with the commit (the first one, a schema change, a roll-forward).
    var writesMetadata: Bool

    init(fields: [KsqlField], operation: String, mode: String? = nil, writesMetadata: Bool) {
        self.fields = fields
        self.operation = operation
        self.mode = mode
        self.writesMetadata = writesMetadata
    }

    /// The columns as the metadata records them, parsed back (roll-forward, conversion, expiry).
    static func fields(of metadata: FeedMetadata) throws -> [KsqlField] {
        try metadata.schema.map { column in
            do { return KsqlField(name: column.name, type: try KsqlType.parse(column.type)) } catch {
                throw DataLakeError("the metadata's column \(column.name) has the type \"\(column.type)\", which does not parse: \(error)")
            }
        }
    }
}
