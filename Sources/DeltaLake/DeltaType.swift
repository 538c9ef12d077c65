/// A column type of a Delta table's schema (PROTOCOL.md, "Schema Serialization Format").
package indirect enum DeltaType: Sendable, Equatable {
    /// `string`, `long`, `integer`, `short`, `byte`, `double`, `float`, `boolean`, `binary`, `date`,
    /// `timestamp`, `decimal(p,s)`.
    case primitive(String)
    case array(element: DeltaType, containsNull: Bool)
    case map(key: DeltaType, value: DeltaType, valueContainsNull: Bool)
    case `struct`([DeltaField])

    package static func decimal(precision: Int, scale: Int) -> DeltaType { .primitive("decimal(\(precision),\(scale))") }

    package var json: DeltaJSON {
        switch self {
        case let .primitive(name): return .string(name)
        case let .array(element, containsNull):
            return .object([("type", .string("array")), ("elementType", element.json), ("containsNull", .bool(containsNull))])
        case let .map(key, value, valueContainsNull):
            return .object([("type", .string("map")), ("keyType", key.json), ("valueType", value.json),
                            ("valueContainsNull", .bool(valueContainsNull))])
        case let .struct(fields):
            return .object([("type", .string("struct")), ("fields", .array(fields.map(\.json)))])
        }
    }
}

/// One field of a Delta struct type (a column, at the top level).
package struct DeltaField: Sendable, Equatable {
    package var name: String
    package var type: DeltaType
    package var nullable: Bool

    package init(_ name: String, _ type: DeltaType, nullable: Bool = true) {
        self.name = name
        self.type = type
        self.nullable = nullable
    }

    package var json: DeltaJSON {
        .object([("name", .string(name)), ("type", type.json), ("nullable", .bool(nullable)), ("metadata", .object([]))])
    }
}
