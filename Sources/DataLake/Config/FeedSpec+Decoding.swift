import Foundation

extension FeedSpec {
    package static let retentionRange = 1...36_500
    package static let versionsRange = 1...1_000

    /// Decodes one feed mapping (from `feeds.d`, the registry or a saved plan). `defaults` fills what the
    /// mapping does not say; `extraKeys` are accepted and ignored (registry bookkeeping).
    package static func decode(_ node: YAMLNode, defaults: LakeConfig.Defaults, decoder: NodeDecoder,
                               extraKeys: [String] = []) -> FeedSpec? {
        guard let m = decoder.mapping(node, what: "a feed") else { return nil }
        let before = decoder.diagnostics.count
        m.rejectUnknownKeys(keys + extraKeys, in: "feed")

        let nameNode = m.required("feed_name", what: "feed")
        let name = nameNode.flatMap { decoder.string($0, what: "\"feed_name\"") }
        if let name, let nameNode, !isValidFeedName(name) {
            decoder.error("\"feed_name\" must match [a-z][a-z0-9_]* and be at most 64 characters, found \"\(name)\"", at: nameNode)
        }
        let typeText = m.required("feed_type", what: "feed").flatMap {
            decoder.choice($0, what: "\"feed_type\"", allowed: FeedType.allCases.map(\.rawValue))
        }
        let type = typeText.flatMap(FeedType.init(rawValue:))
        let sourceNode = m.required("ksqldb_source", what: "feed")
        let source = sourceNode.flatMap { decoder.string($0, what: "\"ksqldb_source\"") }
        if let source, let sourceNode, !isValidSourceName(source) {
            decoder.error("\"ksqldb_source\" must be a ksqlDB identifier ([A-Za-z_][A-Za-z0-9_]*), found \"\(source)\"", at: sourceNode)
        }

        let description = m.string("description") ?? ""
        let storage = m.choice("storage_mode", allowed: StorageMode.allCases.map(\.rawValue)).flatMap(StorageMode.init(rawValue:))
        let format = m.choice("format", allowed: ["parquet"]) ?? "parquet"
        let retention = m.int("retention_days", range: retentionRange)
        let versions = m.int("versions_to_keep", range: versionsRange)
        let enabled = m.bool("enabled") ?? true
        let createdAt = m.string("created_at")
        if let createdAt, !isISO8601(createdAt), let n = m.value("created_at") {
            decoder.error("\"created_at\" must be an ISO-8601 time like 2025-01-15T10:00:00Z, found \"\(createdAt)\"", at: n)
        }
        let access = m.choice("access", allowed: AccessLevel.allCases.map(\.rawValue)).flatMap(AccessLevel.init(rawValue:))
        let timestampColumn = m.string("timestamp_column")
        if let timestampColumn, !isValidSourceName(timestampColumn), let n = m.value("timestamp_column") {
            decoder.error("\"timestamp_column\" must be a column name ([A-Za-z_][A-Za-z0-9_]*), found \"\(timestampColumn)\"", at: n)
        }
        let lateness = m.int("lateness_minutes", range: 0...10_080)
        let unit = m.choice("timestamp_unit", allowed: TimestampUnit.allCases.map(\.rawValue)).flatMap(TimestampUnit.init(rawValue:))
        let fallback = m.choice("timestamp_fallback", allowed: ["rowtime"]) != nil
        let policy = m.choice("schema_policy", allowed: SchemaPolicy.allCases.map(\.rawValue)).flatMap(SchemaPolicy.init(rawValue:))
        let protect = m.bool("protect") ?? false
        let archived = m.bool("archived") ?? false
        let partitioning = m.value("partitioning").flatMap { decodePartitioning($0, decoder: decoder) }
        let tableFormat = m.choice("table_format", allowed: TableFormat.allCases.map(\.rawValue)).flatMap(TableFormat.init(rawValue:))
        let logRetention = m.int("log_retention_days", range: retentionRange)
        let ownChecks = m.value("checks").map { decodeChecks($0, decoder: decoder) }
        let onFailure = m.choice("on_check_failure", allowed: CheckFailureAction.allCases.map(\.rawValue)).flatMap(CheckFailureAction.init(rawValue:))
        let tierAfter = m.int("tier_after_days", range: retentionRange)
        let tierClass: String?
        if let text = m.string("tier_storage_class"), let n = m.value("tier_storage_class"), !tierStorageClasses.contains(text) {
            tierClass = nil
            let why = ["GLACIER", "DEEP_ARCHIVE"].contains(text)
                ? "\(text) objects cannot be read until restored, so every reader of the feed would fail; use GLACIER_IR for archive pricing with instant reads"
                : "it must be one of \(tierStorageClasses.joined(separator: ", "))"
            decoder.error("\"tier_storage_class\" \(text): \(why)", at: n)
        } else {
            tierClass = m.string("tier_storage_class")
        }

        guard let name, let type, let source else { return nil }

        // Rules that relate keys to the feed type.
        if let storage, let node = m.value("storage_mode") {
            if type == .stream && storage == .overwrite {
                decoder.error("a stream is exported append-only: \"storage_mode\" must be \"append\"", at: node)
            } else if type == .table && storage == .append {
                decoder.error("a table is exported as snapshots: \"storage_mode\" must be \"overwrite\"", at: node)
            }
        }
        if let partitioning, let node = m.value("partitioning") {
            let expected: Partitioning = type == .stream ? .date : .version
            if partitioning.type != expected.type || partitioning.columns != expected.columns {
                let want = type == .stream ? "{type: date, columns: [year, month, day]}" : "{type: version}"
                decoder.error("a \(type.rawValue) is partitioned as \(want)", at: node)
            }
        }
        if type == .stream, versions != nil, let loc = m.keyLocation("versions_to_keep") {
            decoder.error("\"versions_to_keep\" applies to tables only (streams use \"retention_days\")", at: loc)
        }
        if type == .table, timestampColumn != nil, let loc = m.keyLocation("timestamp_column") {
            decoder.error("\"timestamp_column\" applies to streams only (tables are snapshots)", at: loc)
        }
        for key in ["timestamp_unit", "timestamp_fallback"] where type == .table {
            if let loc = m.keyLocation(key) { decoder.error("\"\(key)\" applies to streams only (tables are snapshots)", at: loc) }
        }
        if type == .table, lateness != nil, let loc = m.keyLocation("lateness_minutes") {
            decoder.error("\"lateness_minutes\" applies to streams only (tables are snapshots)", at: loc)
        }
        for key in ["tier_after_days", "tier_storage_class"] where type == .table {
            if let loc = m.keyLocation(key) { decoder.error("\"\(key)\" applies to streams only (old table versions are pruned)", at: loc) }
        }
        if type == .stream, tierClass != nil, tierAfter == nil, let loc = m.keyLocation("tier_storage_class") {
            decoder.error("\"tier_storage_class\" needs \"tier_after_days\": the age at which partitions move", at: loc)
        }
        if type == .stream, let tierAfter, tierAfter >= (retention ?? defaults.streamRetentionDays), let n = m.value("tier_after_days") {
            decoder.error("\"tier_after_days\" \(tierAfter) must be less than retention_days \(retention ?? defaults.streamRetentionDays): partitions would expire before they tier", at: n)
        }
        // A feed's own `checks` replace the lake's defaults for its type (`checks: []` opts out).
        let checks = ownChecks ?? (type == .table ? defaults.tableChecks : defaults.streamChecks)
        if type == .table, ownChecks?.contains(where: { $0.kind == "freshness" }) == true, let loc = m.keyLocation("checks") {
            decoder.error("a \"freshness\" check applies to streams only (a table snapshot has no event time)", at: loc)
        }
        if type == .table, onFailure == .quarantine, let n = m.value("on_check_failure") {
            decoder.error("\"on_check_failure: quarantine\" applies to streams only: a table snapshot without some rows would be a "
                          + "state the table never had; use fail or warn", at: n)
        }
        guard decoder.diagnostics.count == before else { return nil }

        var spec = FeedSpec(
            name: name, type: type, source: source, description: description,
            partitioning: type == .stream ? .date : .version,
            storageMode: type == .stream ? .append : .overwrite,
            format: format,
            retentionDays: type == .stream ? (retention ?? defaults.streamRetentionDays) : retention,
            versionsToKeep: type == .table ? (versions ?? defaults.tableVersionsToKeep) : nil,
            enabled: enabled, createdAt: createdAt,
            access: access ?? (type == .stream ? defaults.streamAccess : defaults.tableAccess),
            timestampColumn: type == .stream ? (timestampColumn ?? defaults.timestampColumn) : nil,
            protect: protect, archived: archived,
            latenessMinutes: type == .stream ? (lateness ?? defaults.latenessMinutes) : nil,
            schemaPolicy: policy ?? .additive, timestampUnit: type == .stream ? unit : nil,
            timestampFallbackToRowtime: type == .stream && fallback,
            tierAfterDays: type == .stream ? tierAfter : nil, tierStorageClass: type == .stream ? tierClass : nil)
        spec.tableFormat = tableFormat ?? defaults.tableFormat
        spec.logRetentionDays = logRetention
        spec.checks = checks
        spec.onCheckFailure = onFailure ?? (type == .table ? defaults.tableOnCheckFailure : defaults.streamOnCheckFailure) ?? .fail
        return spec
    }

    /// Accepts the seed's `{"type": "date", "columns": [...]}` and the short form `date` / `version`.
    static func decodePartitioning(_ node: YAMLNode, decoder: NodeDecoder) -> Partitioning? {
        if case .scalar = node.kind {
            switch decoder.choice(node, what: "\"partitioning\"", allowed: ["date", "version"]) {
            case "date": return .date
            case "version": return .version
            default: return nil
            }
        }
        guard let m = decoder.mapping(node, what: "\"partitioning\"") else { return nil }
        m.rejectUnknownKeys(["type", "columns"], in: "partitioning")
        guard let type = m.required("type", what: "partitioning").flatMap({
            decoder.choice($0, what: "\"partitioning.type\"", allowed: ["date", "version"])
        }) else { return nil }
        let columns = m.value("columns").flatMap { decoder.stringList($0, what: "\"partitioning.columns\"") }
        let standard: Partitioning = type == "date" ? .date : .version
        return Partitioning(type: type, columns: columns ?? standard.columns)
    }

    package static func isValidFeedName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, (0x61...0x7A).contains(first), bytes.count <= 64 else { return false }
        return bytes.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x5F }
    }

    package static func isValidSourceName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, first == 0x5F || (0x41...0x5A).contains(first) || (0x61...0x7A).contains(first) else { return false }
        return bytes.allSatisfy { $0 == 0x5F || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) }
    }

    static func isISO8601(_ text: String) -> Bool {
        let f = ISO8601DateFormatter()
        if f.date(from: text) != nil { return true }
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.date(from: text) != nil
    }
}
