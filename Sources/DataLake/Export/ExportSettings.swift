import KsqlDBClient
import Parquet

/// What every export needs besides its plan action: the ksqlDB client and how to write Parquet.
package struct ExportSettings: Sendable {
    package var client: KsqlDBClient
    package var parquet: LakeConfig.ParquetSettings

    package init(client: KsqlDBClient, parquet: LakeConfig.ParquetSettings) {
        self.client = client
        self.parquet = parquet
    }

    package var writerOptions: ParquetWriterOptions {
        var o = ParquetWriterOptions()
        switch parquet.compression {
        case .snappy: o.compression = .snappy
        case .zstd: o.compression = .zstd
        case .none: o.compression = .uncompressed
        }
        o.rowGroupRowLimit = parquet.rowGroupRows
        parquet.compatibility.restrict(&o)
        return o
    }
}

/// What one export or snapshot did.
package struct ExportOutcome: Sendable, Equatable {
    package var rows = 0
    package var bytes = 0
    package var files: [String] = []
    /// Rows read again from the overlap window and dropped as already exported.
    package var duplicatesDropped = 0
    /// Events whose day was already past retention_days: not written (the next plan would expire them).
    package var pastRetention = 0
    /// The feed's quality checks, when it has any.
    package var checks: [CheckOutcome] = []
    /// Rows set aside under `on_check_failure: quarantine`, and the files (lake paths) they went to.
    package var quarantined = 0
    package var quarantineFiles: [String] = []
    /// False when nothing on disk changed (no new rows, unchanged table).
    package var changed: Bool { !files.isEmpty || !quarantineFiles.isEmpty }

    package init() {}
}
