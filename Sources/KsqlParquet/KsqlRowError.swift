/// A row that cannot be stored: where (1-based line, 1-based byte column in the line), which column,
/// and why.
package struct KsqlRowError: Error, CustomStringConvertible, Equatable {
    package var line: Int
    package var column: Int
    package var columnName: String?
    package var message: String

    package init(line: Int, column: Int, columnName: String?, message: String) {
        self.line = line
        self.column = column
        self.columnName = columnName
        self.message = message
    }

    /// `LINE:COL: column NAME: message`, ready to be prefixed with a file name.
    package var description: String {
        let where_ = line > 0 ? "\(line):\(column): " : ""
        if let columnName { return "\(where_)column \(columnName): \(message)" }
        return where_ + message
    }
}
