/// A parsed statement of the emulator's SQL subset.
enum SQLStatement: Equatable {
    case list(EmulatorSourceKind, extended: Bool)
    case describeAll(EmulatorSourceKind, extended: Bool)
    case describe(source: String, extended: Bool)
    case insert(source: String, columns: [String]?, values: [SQLExpression])
    case select(SQLSelect)
}
