/// A JSON Schema (draft 2020-12) for feed files, so editors complete and check them
/// (`datalake schema > feed.schema.json`, then point the YAML language server at it).
package enum FeedJSONSchema {
    package static var json: JSONValue {
        let identifier: JSONValue = .object([("type", .string("string")), ("pattern", .string("^[A-Za-z_][A-Za-z0-9_]*$"))])
        let feed: JSONValue = .object([
            ("type", .string("object")),
            ("additionalProperties", .bool(false)),
            ("required", .array(["feed_name", "feed_type", "ksqldb_source"].map(JSONValue.string))),
            ("properties", .object([
                ("feed_name", .object([("type", .string("string")), ("pattern", .string("^[a-z][a-z0-9_]*$")), ("maxLength", .int(64)),
                                       ("description", .string("Feed name: its directory under streams/ or tables/."))])),
                ("feed_type", .object([("enum", .array([.string("stream"), .string("table")]))])),
                ("ksqldb_source", identifier),
                ("description", .object([("type", .string("string"))])),
                ("partitioning", .object([("oneOf", .array([
                    .object([("enum", .array([.string("date"), .string("version")]))]),
                    .object([("type", .string("object")), ("additionalProperties", .bool(false)), ("required", .array([.string("type")])),
                             ("properties", .object([
                                ("type", .object([("enum", .array([.string("date"), .string("version")]))])),
                                ("columns", .object([("type", .string("array")), ("items", .object([("type", .string("string"))]))])),
                             ]))]),
                ]))])),
                ("storage_mode", .object([("enum", .array([.string("append"), .string("overwrite")]))])),
                ("format", .object([("enum", .array([.string("parquet")]))])),
                ("retention_days", .object([("type", .string("integer")), ("minimum", .int(FeedSpec.retentionRange.lowerBound)), ("maximum", .int(FeedSpec.retentionRange.upperBound))])),
                ("versions_to_keep", .object([("type", .string("integer")), ("minimum", .int(FeedSpec.versionsRange.lowerBound)), ("maximum", .int(FeedSpec.versionsRange.upperBound))])),
                ("enabled", .object([("type", .string("boolean"))])),
                ("created_at", .object([("type", .string("string")), ("format", .string("date-time"))])),
                ("access", .object([("enum", .array(AccessLevel.allCases.map { .string($0.rawValue) }))])),
                ("timestamp_column", identifier),
                ("protect", .object([("type", .string("boolean"))])),
                ("lateness_minutes", .object([("type", .string("integer")), ("minimum", .int(0)), ("maximum", .int(10_080))])),
                ("schema_policy", .object([("enum", .array(SchemaPolicy.allCases.map { .string($0.rawValue) }))])),
                ("archived", .object([("type", .string("boolean"))])),
                ("timestamp_unit", .object([("enum", .array(TimestampUnit.allCases.map { .string($0.rawValue) }))])),
                ("timestamp_fallback", .object([("enum", .array([.string("rowtime")]))])),
                ("tier_after_days", .object([("type", .string("integer")), ("minimum", .int(FeedSpec.retentionRange.lowerBound)), ("maximum", .int(FeedSpec.retentionRange.upperBound))])),
                ("tier_storage_class", .object([("enum", .array(FeedSpec.tierStorageClasses.map { .string($0) }))])),
                ("table_format", .object([("enum", .array(TableFormat.allCases.map { .string($0.rawValue) }))])),
                ("checks", .object([("type", .string("array")), ("items", .object([("type", .string("object"))]))])),
                ("on_check_failure", .object([("enum", .array(CheckFailureAction.allCases.map { .string($0.rawValue) }))])),
                ("log_retention_days", .object([("type", .string("integer")), ("minimum", .int(FeedSpec.retentionRange.lowerBound)), ("maximum", .int(FeedSpec.retentionRange.upperBound))])),
            ])),
        ])
        return .object([
            ("$schema", .string("https://json-schema.org/draft/2020-12/schema")),
            ("title", .string("datalake feed file")),
            ("description", .string("One feed, a list of feeds, or {feeds: [...]}.")),
            ("$defs", .object([("feed", feed)])),
            ("oneOf", .array([
                .object([("$ref", .string("#/$defs/feed"))]),
                .object([("type", .string("array")), ("items", .object([("$ref", .string("#/$defs/feed"))]))]),
                .object([("type", .string("object")), ("required", .array([.string("feeds")])), ("additionalProperties", .bool(false)),
                         ("properties", .object([("feeds", .object([("type", .string("array")), ("items", .object([("$ref", .string("#/$defs/feed"))]))]))]))]),
            ])),
        ])
    }
}
