/// One named field of a STRUCT type.
package struct EmulatorField: Sendable, Equatable {
    package var name: String
    package var type: EmulatorType

    package init(_ name: String, _ type: EmulatorType) {
        self.name = name
        self.type = type
    }
}
