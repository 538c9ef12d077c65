import LakeStorage
import KsqlDBClient

/// A starter feed file (YAML) for a ksqlDB source, so that `datalake sources --scaffold` can show
/// a user what to put in git: streams append by day, tables overwrite by version.
package enum FeedScaffold {
    /// The feed name for a source: lower case, with anything but `a-z 0-9 _ -` turned into `_`.
    package static func feedName(for sourceName: String) -> String {
        String(sourceName.lowercased().unicodeScalars.map { scalar -> Character in
            switch scalar {
            case "a"..."z", "0"..."9", "_", "-": return Character(scalar)
            default: return "_"
            }
        })
    }

    /// The feed file's text for `source`.
    package static func yaml(for source: KsqlSourceDescription) -> String {
        let kind = source.kind == .stream ? "stream" : "table"
        var lines = [
            "# Feed exporting ksqlDB \(kind) \(source.name) (topic \(source.topic), \(source.valueFormat)).",
            "# Columns:",
        ]
        for column in source.columns {
            let role = column.role == .value ? "" : " (\(column.role.rawValue))"
            lines.append("#   \(column.name) \(column.type)\(role)")
        }
        let body = FeedTemplate(name: feedName(for: source.name), type: source.kind == .stream ? .stream : .table,
                                source: source.name, description: "Export of ksqlDB \(kind) \(source.name)").yaml
        return lines.joined(separator: "\n") + "\n" + body
    }

    /// Writes `text` to `<directory>/<feedName>.yaml` durably and returns the path; refuses to
    /// replace an existing file.
    package static func save(_ text: String, feedName: String, directory: String) throws -> String {
        guard LocalFiles.isDirectory(directory) else { throw FeedScaffoldError("\(directory) is not a directory") }
        let path = LocalFiles.join(directory, "\(feedName).yaml")
        let created: Bool
        do { created = try LocalFiles.createNew(path, Array(text.utf8)) } catch { throw FeedScaffoldError(error.description) }
        if !created { throw FeedScaffoldError("\(path): already exists; not overwriting it") }
        return path
    }

}
