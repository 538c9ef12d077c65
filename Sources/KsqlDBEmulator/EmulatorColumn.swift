/// One column of a source: name (as ksqlDB stores it, upper-case unless quoted), type, key or value.
package struct EmulatorColumn: Sendable, Equatable {
    package var name: String
    package var type: EmulatorType
    package var isKey: Bool

    package init(_ name: String, _ type: EmulatorType, isKey: Bool = false) {
        self.name = name
        self.type = type
        self.isKey = isKey
    }
}
