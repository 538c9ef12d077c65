/// Writes a new feed file's YAML from a handful of values (`feeds add`, `sources --scaffold`).
package struct FeedTemplate {
    package var name: String
    package var type: FeedType
    package var source: String
    package var description: String
    package var retentionDays: Int?
    package var versionsToKeep: Int?

    package init(name: String, type: FeedType, source: String, description: String = "",
                 retentionDays: Int? = nil, versionsToKeep: Int? = nil) {
        self.name = name
        self.type = type
        self.source = source
        self.description = description
        self.retentionDays = retentionDays
        self.versionsToKeep = versionsToKeep
    }

    package var yaml: String {
        var out = """
            feed_name: \(name)
            feed_type: \(type.rawValue)
            ksqldb_source: \(FeedSpec.isValidSourceName(source) ? source : JSONValue.string(source).rendered(pretty: false))
            description: \(JSONValue.string(description).rendered(pretty: false))

            """
        switch type {
        case .stream:
            out += "partitioning:\n  type: date\n  columns: [year, month, day]\nstorage_mode: append\nformat: parquet\n"
            out += "retention_days: \(retentionDays ?? 365)\n"
        case .table:
            out += "partitioning:\n  type: version\nstorage_mode: overwrite\nformat: parquet\n"
            out += "versions_to_keep: \(versionsToKeep ?? 7)\n"
        }
        out += "enabled: true\n"
        return out
    }
}
