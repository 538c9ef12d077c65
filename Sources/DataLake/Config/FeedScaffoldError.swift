/// Why a scaffolded feed file could not be written.
package struct FeedScaffoldError: Error, CustomStringConvertible, Equatable {
    package var description: String
    init(_ description: String) { self.description = description }
}
