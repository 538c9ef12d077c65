import Foundation

/// The JSON bodies ksqlDB sends outside the row path, as Decodable mirrors of its Java entities.
/// Small and rare, so Foundation's JSONDecoder is fine here; rows never go through these.
enum KsqlWire {
    /// `{"@type":"statement_error","error_code":40001,"message":"…","statementText":"…"}`.
    struct ErrorBody: Decodable {
        var type: String?
        var errorCode: Int?
        var message: String?

        enum CodingKeys: String, CodingKey {
            case type = "@type", errorCode = "error_code", message
        }
    }

    /// `{"KsqlServerInfo":{…}}` from `GET /info`.
    struct InfoBody: Decodable {
        struct Info: Decodable {
            var version: String
            var kafkaClusterId: String?
            var ksqlServiceId: String?
            var serverStatus: String?
        }
        var info: Info

        enum CodingKeys: String, CodingKey { case info = "KsqlServerInfo" }
    }

    /// `GET /healthcheck`.
    struct HealthBody: Decodable {
        struct Check: Decodable { var isHealthy: Bool }
        var isHealthy: Bool
        var details: [String: Check]?
        var serverState: String?
    }

    /// One element of a `/ksql` response array; only the fields of the entities we send for.
    struct Entity: Decodable {
        var type: String
        var streams: [SourceInfo]?
        var tables: [SourceInfo]?
        var sourceDescription: SourceDescription?

        enum CodingKeys: String, CodingKey {
            case type = "@type", streams, tables, sourceDescription
        }
    }

    /// An item of `LIST STREAMS` / `LIST TABLES`.
    struct SourceInfo: Decodable {
        var type: String?
        var name: String
        var topic: String?
        var keyFormat: String?
        var valueFormat: String?
        var format: String?
        var isWindowed: Bool?
    }

    /// `DESCRIBE`'s `sourceDescription`.
    struct SourceDescription: Decodable {
        var name: String
        var windowType: String?
        var fields: [FieldInfo]
        var type: String
        var timestamp: String?
        var keyFormat: String?
        var valueFormat: String?
        var format: String?
        var topic: String?
        var partitions: Int?
        var replication: Int?
        var statement: String?
    }

    /// `{"name":"COL","schema":{…},"type":"KEY"|"HEADER"}`; `type` is absent for value columns.
    struct FieldInfo: Decodable {
        var name: String
        var schema: SchemaInfo
        var type: String?
        var headerKey: String?
    }

    /// `{"type":"ARRAY","fields":null,"memberSchema":{…},"parameters":{…}}`. A class because it nests.
    final class SchemaInfo: Decodable {
        let type: String
        let fields: [FieldInfo]?
        let memberSchema: SchemaInfo?
        let parameters: [String: LooseInt]?
    }

    /// A number that Jackson may have written as a number or as a string.
    struct LooseInt: Decodable {
        var value: Int?

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let int = try? container.decode(Int.self) {
                value = int
            } else if let text = try? container.decode(String.self) {
                value = Int(text)
            } else {
                value = nil
            }
        }
    }

    /// A `{…}` line of a query response that is not a row: header, error or token.
    struct InBandObject: Decodable {
        var queryId: String?
        var columnNames: [String]?
        var columnTypes: [String]?
        var type: String?
        var errorCode: Int?
        var message: String?
        var continuationToken: String?
        var consistencyToken: String?

        var isToken: Bool { continuationToken != nil || consistencyToken != nil }

        enum CodingKeys: String, CodingKey {
            case queryId, columnNames, columnTypes, type = "@type", errorCode = "error_code", message
            case continuationToken, consistencyToken
        }
    }

    /// A `/query` (legacy framing) element other than a row.
    struct LegacyElement: Decodable {
        struct Header: Decodable {
            var queryId: String?
            var schema: String
        }
        var header: Header?
        var errorMessage: ErrorBody?
        var finalMessage: String?
    }

    /// Decodes `T` from bytes, or nil when they are not that JSON.
    static func decode<T: Decodable>(_ type: T.Type, from bytes: some Collection<UInt8>) -> T? {
        try? JSONDecoder().decode(type, from: Data(bytes))
    }
}
