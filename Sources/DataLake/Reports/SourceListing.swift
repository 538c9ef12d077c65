import Foundation
import KsqlDBClient

/// `datalake sources`: ksqlDB's streams and tables with their columns, and which feed exports each.
package struct SourceListing {
    package var endpoint: String
    package var sources: [KsqlSourceDescription]
    /// Source name (upper case) → the feed exporting it.
    package var feeds: [String: String]

    package init(endpoint: String, sources: [KsqlSourceDescription], desired: DesiredState?) {
        self.endpoint = endpoint
        self.sources = sources
        feeds = Dictionary((desired?.feeds ?? []).map { ($0.spec.source.uppercased(), $0.spec.name) }, uniquingKeysWith: { a, _ in a })
    }

    /// The client for `sources`: lake.yaml's, or the `--url` server. lake.yaml's credentials go only
    /// to the host and port lake.yaml names, never to another server.
    package static func clientConfiguration(url: String?, desired: DesiredState?) throws -> KsqlDBClientConfiguration {
        guard let url else {
            guard let desired else { throw DataLakeError("no lake.yaml and no --url: nothing says which ksqlDB to ask") }
            return try desired.config.ksqldb.clientConfiguration()
        }
        guard let parsed = URL(string: url) else { throw DataLakeError("--url is not a URL: \(url)") }
        var configuration = KsqlDBClientConfiguration(url: parsed)
        if let configured = try desired?.config.ksqldb.clientConfiguration(), configured.endpoint == configuration.endpoint {
            configuration.credentials = configured.credentials
            configuration.caFile = configured.caFile
            configuration.insecureSkipVerify = configured.insecureSkipVerify
        }
        return configuration
    }

    package var json: JSONValue {
        JSONDocument.versioned([("sources", .array(sources.map { source in
            var pairs: [(String, JSONValue)] = [
                ("columns", .array(source.columns.map { .object([("name", .string($0.name)), ("role", .string($0.role.rawValue)),
                                                                  ("type", .string($0.type.description))]) })),
            ]
            if let feed = feeds[source.name.uppercased()] { pairs.append(("feed", .string(feed))) }
            pairs += [("keyFormat", .string(source.keyFormat)), ("kind", .string(source.kind.rawValue)), ("name", .string(source.name))]
            if let t = source.timestampColumn { pairs.append(("timestampColumn", .string(t))) }
            pairs += [("topic", .string(source.topic)), ("valueFormat", .string(source.valueFormat))]
            if let w = source.windowType { pairs.append(("windowType", .string(w))) }
            return .object(pairs)
        }))])
    }

    package var text: String {
        if sources.isEmpty { return "ksqlDB at \(endpoint) has no streams or tables.\n" }
        var out = ""
        for (index, source) in sources.enumerated() {
            if index > 0 { out += "\n" }
            let kind = source.kind == .stream ? "stream" : "table"
            let window = source.windowType.map { ", \($0.lowercased()) window" } ?? ""
            out += "\(source.name)  \(kind), topic \(source.topic), key \(source.keyFormat), value \(source.valueFormat)\(window)\n"
            if let feed = feeds[source.name.uppercased()] {
                out += "  exported by feed \(feed)\n"
            } else {
                out += "  not exported: `datalake sources --scaffold \(source.name)` drafts a feed\n"
            }
            let width = source.columns.map(\.name.count).max() ?? 0
            for column in source.columns {
                let name = column.name.padding(toLength: width, withPad: " ", startingAt: 0)
                let role = column.role == .value ? "" : "  \(column.role.rawValue)"
                out += "    \(name)  \(column.type)\(role)\n"
            }
        }
        return out
    }
}
