

/// What LIST and DESCRIBE say about a source.
package struct EmulatorSourceSchema: Sendable, Equatable {
    package var name: String
    package var kind: EmulatorSourceKind
    package var columns: [EmulatorColumn]
    package var topic: String
    package var keyFormat: String
    package var valueFormat: String
    package var timestampColumn: String?
    package var partitions: Int
    package var replication: Int
    /// The CREATE statement DESCRIBE reports.
    package var statement: String
    /// `TUMBLING`, `HOPPING` or `SESSION` for a windowed table (its columns then hold WINDOWSTART and
    /// WINDOWEND after the key columns); nil otherwise.
    package var windowType: String?

    package init(name: String, kind: EmulatorSourceKind, columns: [EmulatorColumn], topic: String? = nil,
                 keyFormat: String = "KAFKA", valueFormat: String = "JSON", timestampColumn: String? = nil,
                 partitions: Int = 1, replication: Int = 1, statement: String? = nil, windowType: String? = nil) {
        self.windowType = windowType
        self.name = name
        self.kind = kind
        self.columns = columns
        self.topic = topic ?? name.lowercased()
        self.keyFormat = columns.contains { $0.isKey } ? keyFormat : "NONE"
        self.valueFormat = valueFormat
        self.timestampColumn = timestampColumn
        self.partitions = partitions
        self.replication = replication
        self.statement = statement ?? Self.createStatement(name: name, kind: kind, columns: columns,
                                                           topic: topic ?? name.lowercased(), valueFormat: valueFormat)
    }

    func columnIndex(_ name: String) -> Int? {
        columns.firstIndex { $0.name == name } ?? columns.firstIndex { $0.name.uppercased() == name.uppercased() }
    }

    private static func createStatement(name: String, kind: EmulatorSourceKind, columns: [EmulatorColumn],
                                        topic: String, valueFormat: String) -> String {
        let body = columns.filter { !$0.isWindowBound }.map { column in
            "`\(column.name)` \(column.type.typeString)" + (column.isKey ? (kind == .table ? " PRIMARY KEY" : " KEY") : "")
        }.joined(separator: ", ")
        return "CREATE \(kind.rawValue) \(name) (\(body)) WITH (KAFKA_TOPIC='\(topic)', VALUE_FORMAT='\(valueFormat)');"
    }
}
