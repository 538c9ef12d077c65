/// The first object of a query response: the query's id and its columns with their types.
package struct KsqlQueryHeader: Equatable, Sendable {
    /// `transient_…` for stream pull queries, `query_…` for table pull queries, nil on old servers.
    package var queryId: String?
    package var columns: [KsqlField]

    package init(queryId: String?, columns: [KsqlField]) {
        self.queryId = queryId
        self.columns = columns
    }
}
