import Crypto
import Foundation

extension FeedSpec {
    /// The spec in the seed's feed JSON shape (keys in the seed's order, then ours).
    package var json: JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("feed_name", .string(name)),
            ("feed_type", .string(type.rawValue)),
            ("ksqldb_source", .string(source)),
            ("description", .string(description)),
            ("partitioning", .object([("type", .string(partitioning.type)), ("columns", .array(partitioning.columns.map(JSONValue.string)))])),
            ("storage_mode", .string(storageMode.rawValue)),
            ("format", .string(format)),
        ]
        if let retentionDays { pairs.append(("retention_days", .int(retentionDays))) }
        if let versionsToKeep { pairs.append(("versions_to_keep", .int(versionsToKeep))) }
        pairs.append(("enabled", .bool(enabled)))
        if let createdAt { pairs.append(("created_at", .string(createdAt))) }
        pairs.append(("access", .string(access.rawValue)))
        if let timestampColumn { pairs.append(("timestamp_column", .string(timestampColumn))) }
        if let latenessMinutes { pairs.append(("lateness_minutes", .int(latenessMinutes))) }
        pairs.append(("schema_policy", .string(schemaPolicy.rawValue)))
        pairs.append(("protect", .bool(protect)))
        if archived { pairs.append(("archived", .bool(true))) }
        // Only when set, so that the hash of a spec without them stays what it was.
        if let timestampUnit { pairs.append(("timestamp_unit", .string(timestampUnit.rawValue))) }
        if timestampFallbackToRowtime { pairs.append(("timestamp_fallback", .string("rowtime"))) }
        if let tierAfterDays { pairs.append(("tier_after_days", .int(tierAfterDays))) }
        if let tierStorageClass { pairs.append(("tier_storage_class", .string(tierStorageClass))) }
        if tableFormat != .hive { pairs.append(("table_format", .string(tableFormat.rawValue))) }
        if let logRetentionDays { pairs.append(("log_retention_days", .int(logRetentionDays))) }
        if !checks.isEmpty { pairs.append(("checks", checksJSON)) }
        if onCheckFailure != .fail { pairs.append(("on_check_failure", .string(onCheckFailure.rawValue))) }
        return .object(pairs)
    }

    /// SHA-256 of the canonical compact JSON.
    package var hash: String {
        let digest = SHA256.hash(data: Array(json.rendered(pretty: false).utf8))
        return "sha256:" + digest.map { String(format: "%02x", $0) }.joined()
    }

    /// The fields a plan compares, as display text, keyed by their feed-file key. `enabled` and
    /// `archived` are state changes, not updates, and are left out.
    package var comparableFields: [(key: String, value: String)] {
        var out: [(String, String)] = [
            ("feed_type", type.rawValue),
            ("ksqldb_source", source),
            ("description", "\"\(description)\""),
            ("storage_mode", storageMode.rawValue),
            ("format", format),
            ("retention_days", retentionDays.map(String.init) ?? "-"),
            ("versions_to_keep", versionsToKeep.map(String.init) ?? "-"),
            ("access", access.rawValue),
            ("timestamp_column", timestampColumn ?? "-"),
            ("lateness_minutes", latenessMinutes.map(String.init) ?? "-"),
            ("timestamp_unit", timestampUnit?.rawValue ?? "-"),
            ("timestamp_fallback", timestampFallbackToRowtime ? "rowtime" : "-"),
            ("schema_policy", schemaPolicy.rawValue),
            ("protect", String(protect)),
            ("tier_after_days", tierAfterDays.map(String.init) ?? "-"),
            ("tier_storage_class", tierStorageClass ?? "-"),
            ("table_format", tableFormat.rawValue),
            ("log_retention_days", logRetentionDays.map(String.init) ?? "-"),
            ("checks", checks.isEmpty ? "-" : checks.map { $0.name + ($0.severity == .warn ? " [warn]" : "") }.joined(separator: ", ")),
            ("on_check_failure", onCheckFailure.rawValue),
        ]
        if let createdAt { out.append(("created_at", createdAt)) }
        return out
    }
}

extension FeedRecord {
    package var json: JSONValue {
        guard case var .object(pairs) = spec.json else { return spec.json }
        pairs.removeAll { $0.0 == "archived" }
        pairs.append(("spec_hash", .string(specHash ?? spec.hash)))
        if let updatedAt { pairs.append(("updated_at", .string(updatedAt))) }
        if let archivedAt { pairs.append(("archived_at", .string(archivedAt))) }
        return .object(pairs)
    }
}
