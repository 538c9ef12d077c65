/// A failed storage operation: the place (a local path or an object URL) and why, in one line.
package struct StorageError: Error, CustomStringConvertible, Sendable {
    package var location: String
    package var reason: String

    package init(_ location: String, _ reason: String) {
        self.location = location
        self.reason = reason
    }

    package var description: String { "\(location): \(reason)" }
}
