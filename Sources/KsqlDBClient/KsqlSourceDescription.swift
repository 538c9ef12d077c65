/// A ksqlDB stream or table as `DESCRIBE` reports it: what an export needs to know about its source.
package struct KsqlSourceDescription: Equatable, Sendable {
    package var name: String
    package var kind: KsqlSourceKind
    package var topic: String
    package var keyFormat: String
    package var valueFormat: String
    /// `TUMBLING`, `HOPPING` or `SESSION` for windowed sources, nil otherwise.
    package var windowType: String?
    /// The column ksqlDB takes event time from, nil when it uses the record's ROWTIME.
    package var timestampColumn: String?
    /// Key, value and header columns, in ksqlDB's order.
    package var columns: [KsqlColumn]

    package init(name: String, kind: KsqlSourceKind, topic: String, keyFormat: String, valueFormat: String,
                 windowType: String? = nil, timestampColumn: String? = nil, columns: [KsqlColumn]) {
        self.name = name
        self.kind = kind
        self.topic = topic
        self.keyFormat = keyFormat
        self.valueFormat = valueFormat
        self.windowType = windowType
        self.timestampColumn = timestampColumn
        self.columns = columns
    }

    package var isWindowed: Bool { windowType != nil }
    package var keyColumns: [KsqlColumn] { columns.filter { $0.role == .key } }
}
