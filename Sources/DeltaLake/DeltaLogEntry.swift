import Foundation

/// One line of a commit file as datalake reads it back: the fields history and retries need. Other
/// writers' fields and unknown actions are ignored, as the protocol asks of readers.
package struct DeltaLogEntry: Decodable, Sendable {
    package struct Txn: Decodable, Sendable {
        package var appId: String
        package var version: Int64
    }

    package struct File: Decodable, Sendable {
        package var path: String
        package var size: Int64?
        package var stats: String?
        package var partitionValues: [String: String?]?

        /// `numRecords` of the stats, when the writer gave them.
        package var numRecords: Int64? {
            guard let stats, let data = stats.data(using: .utf8) else { return nil }
            struct Stats: Decodable { var numRecords: Int64? }
            return (try? JSONDecoder().decode(Stats.self, from: data))?.numRecords
        }
    }

    package struct CommitInfo: Decodable, Sendable {
        package var timestamp: Int64?
        package var operation: String?
        /// Writers differ: strings (Spark, datalake), numbers (delta-rs), or nested objects.
        package var operationParameters: [String: Scalar]?
        package var operationMetrics: [String: Scalar]?
        package var engineInfo: String?
    }

    /// A JSON value of any kind, kept when it is a string or a number (as text), else dropped.
    package struct Scalar: Decodable, Sendable {
        package var text: String?
        package init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let s = try? c.decode(String.self) { text = s }
            else if let i = try? c.decode(Int64.self) { text = String(i) }
            else if let d = try? c.decode(Double.self) { text = String(d) }
            else if let b = try? c.decode(Bool.self) { text = String(b) }
            else { text = nil }
        }
        package var int: Int64? { text.flatMap { Int64($0) } }
    }

    package struct MetaData: Decodable, Sendable {
        package var id: String
        package var schemaString: String
        package var partitionColumns: [String]
    }

    package var txn: Txn?
    package var add: File?
    package var remove: File?
    package var commitInfo: CommitInfo?
    package var metaData: MetaData?

    /// Parses a commit file; a malformed line is an error naming the file and the line.
    package static func parse(_ bytes: [UInt8], file: String) throws -> [DeltaLogEntry] {
        var out: [DeltaLogEntry] = []
        let decoder = JSONDecoder()
        for (i, line) in bytes.split(separator: 0x0A).enumerated() where !line.allSatisfy({ $0 == 0x20 || $0 == 0x0D }) {
            do {
                out.append(try decoder.decode(DeltaLogEntry.self, from: Data(line)))
            } catch {
                throw DeltaLogError("\(file):\(i + 1): not a Delta action: \(error)")
            }
        }
        return out
    }
}

/// A log that cannot be read or written as the protocol says.
package struct DeltaLogError: Error, CustomStringConvertible, Sendable {
    package var description: String
    package init(_ description: String) { self.description = description }
}
