/// One column of a source: name (as ksqlDB stores it, upper-case unless quoted), type, key or value.
package struct EmulatorColumn: Sendable, Equatable {
    package var name: String
    package var type: EmulatorType
    package var isKey: Bool
    /// `WINDOWSTART` / `WINDOWEND` of a windowed table: key columns that queries return but DESCRIBE
    /// does not list.
    package var isWindowBound: Bool

    package init(_ name: String, _ type: EmulatorType, isKey: Bool = false, isWindowBound: Bool = false) {
        self.name = name
        self.type = type
        self.isKey = isKey
        self.isWindowBound = isWindowBound
    }
}
