import KsqlDBClient

/// How far a running export or snapshot has read its query: rows and their bytes as ksqlDB sent them.
package struct ReadProgress: Sendable, Equatable {
    package var rows = 0
    package var bytes = 0

    package init(rows: Int = 0, bytes: Int = 0) {
        self.rows = rows
        self.bytes = bytes
    }

    /// Counts a batch's bytes (each row line with its newline).
    mutating func add(bytesOf batch: KsqlRowBatch) {
        bytes += batch.lines.reduce(batch.lines.count) { $0 + $1.count }
    }
}
