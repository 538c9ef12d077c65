import Foundation

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
        lines += [
            "feed_name: \(scalar(feedName(for: source.name)))",
            "feed_type: \(kind)",
            "ksqldb_source: \(scalar(source.name))",
            "description: \(quoted("Export of ksqlDB \(kind) \(source.name)"))",
        ]
        switch source.kind {
        case .stream:
            lines += [
                "partitioning:",
                "  type: date",
                "  columns: [year, month, day]",
                "storage_mode: append",
                "format: parquet",
                "retention_days: 365",
            ]
        case .table:
            lines += [
                "partitioning:",
                "  type: version",
                "storage_mode: overwrite",
                "format: parquet",
                "versions_to_keep: 7",
            ]
        }
        lines.append("enabled: true")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes `text` to `<directory>/<feedName>.yaml` durably (temp file, fsync, no-clobber link,
    /// directory fsync) and returns the path; refuses to replace an existing file.
    package static func save(_ text: String, feedName: String, directory: String) throws -> String {
        let path = (directory as NSString).appendingPathComponent("\(feedName).yaml")
        if FileManager.default.fileExists(atPath: path) {
            throw FeedScaffoldError("\(path) already exists; not overwriting it")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw FeedScaffoldError("\(directory) is not a directory")
        }
        let temporary = (directory as NSString).appendingPathComponent(".\(feedName).yaml.\(getpid()).tmp")
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FeedScaffoldError("cannot create \(temporary): \(String(cString: strerror(errno)))") }
        defer { unlink(temporary) }
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, bytes.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                close(fd)
                throw FeedScaffoldError("cannot write \(temporary): \(reason)")
            }
            written += n
        }
        guard fsync(fd) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw FeedScaffoldError("cannot fsync \(temporary): \(reason)")
        }
        close(fd)
        // link(2) fails when the target exists, unlike rename(2): the no-clobber check is atomic.
        guard link(temporary, path) == 0 else {
            if errno == EEXIST { throw FeedScaffoldError("\(path) already exists; not overwriting it") }
            throw FeedScaffoldError("cannot create \(path): \(String(cString: strerror(errno)))")
        }
        let directoryFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryFD >= 0 {
            fsync(directoryFD)
            close(directoryFD)
        }
        return path
    }

    /// A YAML plain scalar when safe, else a double-quoted one.
    static func scalar(_ text: String) -> String {
        let safe = !text.isEmpty && text.unicodeScalars.allSatisfy { s in
            switch s {
            case "a"..."z", "A"..."Z", "0"..."9", "_", "-", ".": return true
            default: return false
            }
        } && !["true", "false", "null", "yes", "no", "on", "off", "~"].contains(text.lowercased())
            && Double(text) == nil
        return safe ? text : quoted(text)
    }

    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 { out += String(format: "\\x%02X", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }
}
