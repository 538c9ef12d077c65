import Foundation
import KsqlDBClient
import LakeStorage

/// `datalake catalog`: the DDL that registers every active feed with a query engine, so that a team
/// reads the lake by feed name. DuckDB gets views over the Parquet files (streams hive-partitioned,
/// tables at their latest version); Spark and Trino register Delta feeds by location.
package struct CatalogWriter {
    package enum Engine: String, CaseIterable, Sendable {
        case duckdb, spark, trino
    }

    package var engine: Engine
    /// Trino: the Delta Lake catalog and the schema to register the tables in.
    package var trinoCatalog = "delta"
    package var schema = "lake"

    package init(engine: Engine) { self.engine = engine }

    /// The DDL for the active feeds of `registry`, read through `storage` rooted at `root`
    /// (a directory, made absolute, or an s3:// URL), with `tierRoot` for tiered local feeds.
    package func render(registry: Registry, storage: any LakeStorage, root: String, tierRoot: String?) -> String {
        let base = Self.absolute(root)
        var out = "-- datalake catalog for \(base) (\(engine.rawValue)), generated \(Clock.iso8601Millis(Int64(Date().timeIntervalSince1970 * 1000)))\n"
        if base.hasPrefix("s3://") && engine == .duckdb {
            out += "-- The lake is on S3: INSTALL httpfs; LOAD httpfs; CREATE SECRET (TYPE s3, KEY_ID ..., SECRET ..., ENDPOINT ..., URL_STYLE 'path');\n"
        }
        if engine == .trino { out += "-- Needs a Delta Lake catalog named \(trinoCatalog) whose metastore can create schema \(schema).\n" }
        for name in registry.sortedNames {
            guard let feed = registry.feeds[name], feed.state == .active else { continue }
            let spec = feed.record.spec
            let metadata = (try? FeedMetadata.load(spec, from: storage)) ?? nil
            let location = base + "/" + LakeLayout.dataDirectory(spec).value
            out += "\n-- \(spec.type.rawValue) \(spec.name) (ksqlDB \(spec.source), \(spec.tableFormat.rawValue))\n"
            switch engine {
            case .duckdb: out += duckdb(spec, metadata: metadata, location: location, tierRoot: tierRoot.map { Self.absolute($0) })
            case .spark: out += spark(spec, location: location)
            case .trino: out += trino(spec, location: location, metadata: metadata)
            }
        }
        return out
    }

    func duckdb(_ spec: FeedSpec, metadata: FeedMetadata?, location: String, tierRoot: String?) -> String {
        let view = Self.quoted(spec.name)
        guard let metadata, !metadata.files.isEmpty else { return "-- no data exported yet: no view\n" }
        let source: String
        if spec.type == .stream {
            // From year=*: on a Delta feed `**` would also reach _delta_log's checkpoints.
            var globs = [location + "/year=*/**/*.parquet"]
            if let tierRoot { globs.append(tierRoot + "/" + LakeLayout.dataDirectory(spec).value + "/year=*/**/*.parquet") }
            source = "read_parquet([\(globs.map(Self.literal).joined(separator: ", "))], hive_partitioning = true, union_by_name = true)"
        } else {
            guard let latest = metadata.latestVersion else { return "-- no version yet: no view\n" }
            source = "read_parquet(\(Self.literal(location + "/" + latest.file.path)))"
        }
        var out = "CREATE OR REPLACE VIEW \(view) AS SELECT * FROM \(source);\n"
        if spec.tableFormat == .delta { out += "-- with the delta extension: CREATE OR REPLACE VIEW \(view) AS SELECT * FROM delta_scan(\(Self.literal(location)));\n" }
        return out
    }

    func spark(_ spec: FeedSpec, location: String) -> String {
        let table = "`\(spec.name)`"
        if spec.tableFormat == .delta { return "CREATE TABLE IF NOT EXISTS \(table) USING DELTA LOCATION \(Self.literal(location));\n" }
        // _metadata.json sits among the files; Spark reads only *.parquet with this option.
        return "CREATE TABLE IF NOT EXISTS \(table) USING PARQUET OPTIONS (pathGlobFilter '*.parquet') LOCATION \(Self.literal(location));\n"
    }

    func trino(_ spec: FeedSpec, location: String, metadata: FeedMetadata?) -> String {
        guard spec.tableFormat == .delta else {
            let columns = (metadata?.schema ?? []).map { "\($0.name) \($0.type)" }.joined(separator: ", ")
            return "-- table_format hive: register it with the Hive connector instead (columns: \(columns))\n"
        }
        return "CALL \(trinoCatalog).system.register_table(schema_name => \(Self.literal(schema)), table_name => \(Self.literal(spec.name)), "
            + "table_location => \(Self.literal(location)));\n"
    }

    /// A SQL string literal.
    static func literal(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }

    /// A SQL identifier, double-quoted.
    static func quoted(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    static func absolute(_ path: String) -> String {
        if path.contains("://") || path.hasPrefix("/") { return path.hasSuffix("/") && path.count > 1 ? String(path.dropLast()) : path }
        return LocalFiles.join(FileManager.default.currentDirectoryPath, path)
    }
}
