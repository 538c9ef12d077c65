/// A one-line failure of an operation that no config position explains.
package struct DataLakeError: Error, CustomStringConvertible, Sendable {
    package var description: String
    package init(_ description: String) { self.description = description }
}
