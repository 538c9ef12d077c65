/// The machine output of every command (`--format json`): one object whose first key is
/// `format_version`, as in the plan's JSON, so a consumer can refuse a document it does not know.
/// Keys are only ever added within a version.
package enum JSONDocument {
    package static let formatVersion = 1

    package static func versioned(_ pairs: [(String, JSONValue)]) -> JSONValue {
        .object([("format_version", .int(formatVersion))] + pairs)
    }
}
