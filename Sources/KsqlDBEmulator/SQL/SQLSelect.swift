/// A SELECT: projection, source, optional WHERE, EMIT CHANGES and LIMIT.
struct SQLSelect: Equatable {
    enum Item: Equatable {
        case all
        case column(String)
    }

    var items: [Item]
    var source: String
    var filter: SQLExpression?
    var emitChanges: Bool
    var limit: Int?
}
