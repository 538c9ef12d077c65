import Foundation
import LakeStorage

extension LakeConfig {
    /// Decodes a `lake.yaml` document; problems go to `decoder`. `baseDirectory` resolves relative paths.
    package static func decode(_ document: YAMLNode?, path: String, baseDirectory: String,
                               decoder: NodeDecoder) -> LakeConfig {
        var config = LakeConfig(path: path, root: Self.resolve("data_lake", against: baseDirectory),
                                feedsDirectory: Self.resolve("feeds.d", against: baseDirectory))
        guard let document, let top = decoder.mapping(document, what: "lake.yaml") else { return config }
        top.rejectUnknownKeys(topKeys, in: "lake.yaml")
        if let root = top.string("root"), let node = top.value("root") {
            if let scheme = LakeConfig.scheme(of: root) {
                if scheme != "s3" {
                    // A URL root of another kind must not become a local directory named `gs:`.
                    decoder.error("root \"\(root)\": \(scheme):// lakes are not supported; use a local directory or s3://BUCKET/PREFIX", at: node)
                } else if LakeConfig.s3Location(root) == nil {
                    decoder.error("root \"\(root)\" must be s3://BUCKET or s3://BUCKET/PREFIX", at: node)
                } else {
                    config.root = root
                }
            } else {
                config.root = resolve(root, against: baseDirectory)
            }
        }
        if let tierRoot = top.string("tier_root"), let node = top.value("tier_root") {
            let resolved = resolve(tierRoot, against: baseDirectory)
            if LakeConfig.scheme(of: config.root) != nil {
                decoder.error("\"tier_root\" is for a local lake; an s3:// lake tiers by storage class (tier_storage_class in the feed)", at: node)
            } else if LakeConfig.scheme(of: tierRoot) != nil {
                decoder.error("\"tier_root\" must be a local directory, found \"\(tierRoot)\"", at: node)
            } else {
                if let problem = nestingProblem(root: config.root, tierRoot: resolved) { decoder.error("\"tier_root\" \(problem)", at: node) }
                // Kept even when refused (the load fails anyway), so that feeds are not also told it is missing.
                config.tierRoot = resolved
            }
        }
        if let n = top.int("max_parallel_feeds", range: 1...256) { config.maxParallelFeeds = n }
        if let format = top.choice("table_format", allowed: TableFormat.allCases.map(\.rawValue)) {
            config.defaults.tableFormat = TableFormat(rawValue: format)!
        }
        if let storage = top.mapping("storage") {
            storage.rejectUnknownKeys(["s3"], in: "storage")
            if let s = storage.mapping("s3") {
                s.rejectUnknownKeys(["endpoint", "region", "path_style", "access_key_env", "secret_key_env"], in: "storage.s3")
                if let e = s.string("endpoint"), let node = s.value("endpoint") {
                    if isValidURL(e) { config.s3.endpoint = e } else { decoder.error("storage.s3.endpoint must be an http(s) URL without credentials, found \"\(e)\"", at: node) }
                }
                config.s3.region = s.string("region")
                config.s3.pathStyle = s.bool("path_style")
                for (key, keyPath) in [("access_key_env", \LakeConfig.S3Settings.accessKeyEnv), ("secret_key_env", \LakeConfig.S3Settings.secretKeyEnv)] {
                    guard let name = s.string(key), let node = s.value(key) else { continue }
                    if isEnvironmentName(name) { config.s3[keyPath: keyPath] = name } else {
                        decoder.error("storage.s3.\(key) names an environment variable ([A-Za-z_][A-Za-z0-9_]*), found \"\(name)\"", at: node)
                    }
                }
            }
        }
        if let feeds = top.string("feeds_dir") { config.feedsDirectory = resolve(feeds, against: baseDirectory) }

        if let k = top.mapping("ksqldb") {
            k.rejectUnknownKeys(["url", "timeout_seconds", "connect_timeout_seconds", "tls", "auth", "proxy",
                                 "max_row_bytes", "query_timeout_seconds"], in: "ksqldb")
            if let proxy = k.string("proxy"), let node = k.value("proxy") {
                if let url = URL(string: proxy), url.scheme?.lowercased() == "http", url.host != nil, url.port != nil, url.user == nil {
                    config.ksqldb.proxy = proxy
                } else {
                    decoder.error("\"proxy\" must be http://host:port (no credentials), found \(proxy.contains("@") ? "a URL with credentials" : "\"\(proxy)\"")", at: node)
                }
            }
            if let url = k.string("url") {
                if Self.isValidURL(url) {
                    config.ksqldb.url = url
                } else if let node = k.value("url"), url.contains("@") {
                    decoder.error("\"url\" must not carry credentials: use ksqldb.auth.user_env and password_env", at: node)
                } else if let node = k.value("url") {
                    decoder.error("\"url\" must be an http:// or https:// URL with a host, found \"\(url)\"", at: node)
                }
            }
            if let t = k.int("timeout_seconds", range: 1...86_400) { config.ksqldb.timeoutSeconds = t }
            if let t = k.int("connect_timeout_seconds", range: 1...3_600) { config.ksqldb.connectTimeoutSeconds = t }
            if let n = k.int("max_row_bytes", range: 1_024...1_073_741_824) { config.ksqldb.maxRowBytes = n }
            if let t = k.int("query_timeout_seconds", range: 1...Int(Int32.max)) { config.ksqldb.queryTimeoutSeconds = t }
            if let tls = k.mapping("tls") {
                tls.rejectUnknownKeys(["ca_file", "insecure_skip_verify"], in: "ksqldb.tls")
                config.ksqldb.caFile = tls.string("ca_file").map { resolve($0, against: baseDirectory) }
                config.ksqldb.insecureSkipVerify = tls.bool("insecure_skip_verify") ?? false
            }
            if let auth = k.mapping("auth") {
                for secret in ["user", "password", "username"] where auth.has(secret) {
                    decoder.error("ksqldb.auth.\(secret) would put a secret in git: name an environment variable with \"\(secret == "password" ? "password" : "user")_env\" instead",
                                  at: auth.keyLocation(secret)!)
                }
                auth.rejectUnknownKeys(["user_env", "password_env", "user", "password", "username"], in: "ksqldb.auth")
                for key in ["user_env", "password_env"] {
                    if let name = auth.string(key), !Self.isEnvironmentName(name), let node = auth.value(key) {
                        decoder.error("\"\(key)\" must name an environment variable ([A-Za-z_][A-Za-z0-9_]*), found \"\(name)\"", at: node)
                    }
                }
                config.ksqldb.userEnv = auth.string("user_env")
                config.ksqldb.passwordEnv = auth.string("password_env")
                if (config.ksqldb.userEnv == nil) != (config.ksqldb.passwordEnv == nil) {
                    decoder.error("ksqldb.auth needs both \"user_env\" and \"password_env\"", at: auth.node)
                }
            }
        }

        if let p = top.mapping("parquet") {
            p.rejectUnknownKeys(["compression", "row_group_rows", "batch_size", "file_max_rows", "compatibility"], in: "parquet")
            if let c = p.choice("compression", allowed: CompressionName.allCases.map(\.rawValue)) {
                config.parquet.compression = CompressionName(rawValue: c)!
            }
            if p.has("row_group_rows"), p.has("batch_size") {
                decoder.error("\"batch_size\" and \"row_group_rows\" are the same setting: keep one", at: p.keyLocation("batch_size")!)
            }
            if let n = p.int("row_group_rows", range: 1...10_000_000) ?? p.int("batch_size", range: 1...10_000_000) {
                config.parquet.rowGroupRows = n
            }
            if let n = p.int("file_max_rows", range: 1...1_000_000_000) { config.parquet.fileMaxRows = n }
            if let c = p.choice("compatibility", allowed: ParquetCompatibility.allCases.map(\.rawValue)) {
                config.parquet.compatibility = ParquetCompatibility(rawValue: c)!
            }
        }

        if let d = top.mapping("defaults") {
            d.rejectUnknownKeys(["streams", "tables"], in: "defaults")
            if let s = d.mapping("streams") {
                s.rejectUnknownKeys(["retention_days", "access", "timestamp_column", "lateness_minutes", "checks", "on_check_failure"], in: "defaults.streams")
                if let c = s.value("checks") { config.defaults.streamChecks = FeedSpec.decodeChecks(c, decoder: decoder) }
                config.defaults.streamOnCheckFailure = s.choice("on_check_failure", allowed: CheckFailureAction.allCases.map(\.rawValue))
                    .flatMap(CheckFailureAction.init(rawValue:))
                if let l = s.int("lateness_minutes", range: 0...10_080) { config.defaults.latenessMinutes = l }
                if let r = s.int("retention_days", range: FeedSpec.retentionRange) { config.defaults.streamRetentionDays = r }
                if let a = s.choice("access", allowed: AccessLevel.allCases.map(\.rawValue)) { config.defaults.streamAccess = AccessLevel(rawValue: a)! }
                if let t = s.string("timestamp_column") { config.defaults.timestampColumn = t }
            }
            if let t = d.mapping("tables") {
                t.rejectUnknownKeys(["versions_to_keep", "access", "checks", "on_check_failure"], in: "defaults.tables")
                if let c = t.value("checks") {
                    config.defaults.tableChecks = FeedSpec.decodeChecks(c, decoder: decoder)
                    if config.defaults.tableChecks.contains(where: { $0.kind == "freshness" }), let loc = t.keyLocation("checks") {
                        decoder.error("a \"freshness\" check applies to streams only (a table snapshot has no event time)", at: loc)
                    }
                }
                let failure = t.choice("on_check_failure", allowed: [CheckFailureAction.fail, .warn].map(\.rawValue))
                config.defaults.tableOnCheckFailure = failure.flatMap(CheckFailureAction.init(rawValue:))
                if let v = t.int("versions_to_keep", range: FeedSpec.versionsRange) { config.defaults.tableVersionsToKeep = v }
                if let a = t.choice("access", allowed: AccessLevel.allCases.map(\.rawValue)) { config.defaults.tableAccess = AccessLevel(rawValue: a)! }
            }
        }
        return config
    }

    /// The two directories of a tiered lake must be apart: one inside the other would make each
    /// list the other's files as its own.
    static func nestingProblem(root: String, tierRoot: String) -> String? {
        func normalized(_ path: String) -> String {
            let absolute = path.hasPrefix("/") ? path : LocalFiles.join(FileManager.default.currentDirectoryPath, path)
            var parts: [Substring] = []
            for part in absolute.split(separator: "/") where part != "." {
                if part == ".." { _ = parts.popLast() } else { parts.append(part) }
            }
            return "/" + parts.joined(separator: "/")
        }
        let a = normalized(root), b = normalized(tierRoot)
        if a == b { return "is the lake's root itself" }
        if b.hasPrefix(a + "/") { return "\(tierRoot) is inside the lake's root \(root)" }
        if a.hasPrefix(b + "/") { return "\(tierRoot) contains the lake's root \(root)" }
        return nil
    }

    static func resolve(_ path: String, against base: String) -> String {
        if path.hasPrefix("/") { return path }
        if base.isEmpty || base == "." { return path }
        return LocalFiles.join(base, path)
    }

    static func isValidURL(_ text: String) -> Bool {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = url.host, !host.isEmpty else { return false }
        return url.user == nil && url.password == nil
    }

    static func isEnvironmentName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }
}
