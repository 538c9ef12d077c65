/// A column of a ksqlDB source, as `DESCRIBE` reports it: name, full type, and its role in the record.
package struct KsqlColumn: Equatable, Hashable, Sendable {
    /// Where the column's value lives in the Kafka record.
    package enum Role: String, Equatable, Hashable, Sendable {
        case key
        case value
        case header
    }

    package var name: String
    package var type: KsqlType
    package var role: Role

    package init(name: String, type: KsqlType, role: Role) {
        self.name = name
        self.type = type
        self.role = role
    }
}
