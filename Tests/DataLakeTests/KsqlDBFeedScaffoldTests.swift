import Foundation
import Testing
@testable import DataLake
import DataLakeTestSupport
@testable import KsqlDBClient
@testable import KsqlParquet
@testable import LakeStorage

/// The feed file `datalake sources --scaffold` drafts, and its no-clobber durable write.
@Suite struct KsqlDBFeedScaffoldTests {
    static let stream = KsqlSourceDescription(
        name: "TRANSACTION_STREAM", kind: .stream, topic: "transactions", keyFormat: "KAFKA", valueFormat: "JSON",
        columns: [
            KsqlColumn(name: "TRANSACTION_ID", type: .string, role: .key),
            KsqlColumn(name: "AMOUNT", type: .decimal(precision: 10, scale: 2), role: .value),
        ])

    @Test func streamFeedAppendsByDay() {
        #expect(FeedScaffold.yaml(for: Self.stream) == """
            # Feed exporting ksqlDB stream TRANSACTION_STREAM (topic transactions, JSON).
            # Columns:
            #   TRANSACTION_ID STRING (key)
            #   AMOUNT DECIMAL(10, 2)
            feed_name: transaction_stream
            feed_type: stream
            ksqldb_source: TRANSACTION_STREAM
            description: "Export of ksqlDB stream TRANSACTION_STREAM"
            partitioning:
              type: date
              columns: [year, month, day]
            storage_mode: append
            format: parquet
            retention_days: 365
            enabled: true

            """)
    }

    @Test func tableFeedOverwritesByVersion() {
        let table = KsqlSourceDescription(name: "Odd \"Name\"", kind: .table, topic: "t", keyFormat: "KAFKA",
                                          valueFormat: "AVRO", columns: [])
        #expect(FeedScaffold.yaml(for: table) == """
            # Feed exporting ksqlDB table Odd "Name" (topic t, AVRO).
            # Columns:
            feed_name: odd__name_
            feed_type: table
            ksqldb_source: "Odd \\"Name\\""
            description: "Export of ksqlDB table Odd \\"Name\\""
            partitioning:
              type: version
            storage_mode: overwrite
            format: parquet
            versions_to_keep: 7
            enabled: true

            """)
    }

    @Test func savesDurablyAndNeverOverwrites() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("scaffold-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = try FeedScaffold.save("a: 1\n", feedName: "orders", directory: directory)
        #expect(path == directory + "/orders.yaml")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "a: 1\n")
        #expect(throws: FeedScaffoldError("\(directory)/orders.yaml: already exists; not overwriting it")) {
            try FeedScaffold.save("b: 2\n", feedName: "orders", directory: directory)
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "a: 1\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["orders.yaml"], "no temporary left")
        #expect(throws: FeedScaffoldError("\(directory)/missing is not a directory")) {
            try FeedScaffold.save("c: 3\n", feedName: "x", directory: directory + "/missing")
        }
    }
}
