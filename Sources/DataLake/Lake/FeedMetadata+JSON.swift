import LakeStorage

extension FeedMetadata {
    package var json: JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("source", .string(source)),
            ("type", .string(type.rawValue)),
            ("storage_mode", .string(type == .stream ? "append" : "overwrite")),
            ("format", .string("parquet")),
            ("partitioning", .string(type == .stream ? "date" : "version")),
            ("last_export", .from(lastExport)),
            ("total_records", .int(totalRecords)),
            ("total_size_mb", .double((Double(totalBytes) / 1_048_576 * 100).rounded() / 100)),
            ("total_bytes", .int(totalBytes)),
            ("partitions", .array(partitions.map(JSONValue.string))),
            ("schema", .array(schema.map { .object([("name", .string($0.name)), ("type", .string($0.type))]) })),
        ]
        if type == .stream {
            pairs.append(("watermark", watermark.map { .int(Int($0)) } ?? .null))
            pairs.append(("watermark_time", watermark.map { .string(Clock.iso8601Millis($0)) } ?? .null))
            pairs.append(("lateness_ms", latenessMs.map { .int(Int($0)) } ?? .null))
            if let overlapFrom { pairs.append(("overlap_from", .int(Int(overlapFrom)))) }
            pairs.append(("overlap_file", .from(overlapFile)))
        } else {
            pairs.append(("latest_version", latestVersion.map { .int($0.number) } ?? .null))
            pairs.append(("latest_path", latestVersion.map { .string($0.file.path) } ?? .null))
            pairs.append(("versions", .array(versions.map { v in
                .object([("version", .int(v.number)), ("path", .string(v.file.path)), ("rows", .int(v.file.rows)),
                         ("bytes", .int(v.file.bytes)), ("content_hash", .string(v.contentHash)), ("exported_at", .string(v.file.exportedAt))])
            })))
        }
        func fileJSON(_ f: DataFile) -> JSONValue {
            var o: [(String, JSONValue)] = [("path", .string(f.path)), ("rows", .int(f.rows)), ("bytes", .int(f.bytes))]
            if let t = f.minTime { o.append(("min_time", .int(Int(t)))) }
            if let t = f.maxTime { o.append(("max_time", .int(Int(t)))) }
            o.append(("exported_at", .string(f.exportedAt)))
            return .object(o)
        }
        pairs.append(("files", .array(files.map(fileJSON))))
        if !quarantineFiles.isEmpty || !pendingQuarantine.isEmpty {
            pairs.append(("quarantine_records", .int(quarantineFiles.reduce(0) { $0 + $1.rows })))
            pairs.append(("quarantine_files", .array(quarantineFiles.map(fileJSON))))
            pairs.append(("pending_quarantine", .array(pendingQuarantine.map(JSONValue.string))))
        }
        if let fingerprintKey { pairs.append(("fingerprint_key", .string(fingerprintKey))) }
        if !lastChecks.isEmpty {
            pairs.append(("last_checks", .array(lastChecks.map {
                .object([("check", .string($0.check)), ("severity", .string($0.severity)), ("rows_checked", .int($0.rowsChecked)), ("rows_failed", .int($0.rowsFailed))])
            })))
        }
        if let deltaVersion { pairs.append(("delta_version", .int(deltaVersion))) }
        if let deltaTxn { pairs.append(("delta_txn", .int(Int(deltaTxn)))) }
        if let deltaTableId { pairs.append(("delta_table_id", .string(deltaTableId))) }
        pairs.append(("pending", .array(pending.map(JSONValue.string))))
        return .object(pairs)
    }

    /// The largest `_metadata.json` read: it lists every file of a feed.
    package static let maxBytes = 1 << 30

    /// Reads a feed's `_metadata.json`, nil when it has none; errors name the file position.
    package static func load(_ spec: FeedSpec, from storage: any LakeStorage) throws(DiagnosticsError) -> FeedMetadata? {
        let path = LakeLayout.metadata(spec)
        let bytes: [UInt8]?
        do { bytes = try storage.read(path, limit: maxBytes) } catch {
            throw DiagnosticsError([Diagnostic("cannot read: \(error.reason)", file: storage.describe(path))])
        }
        guard let bytes else { return nil }
        return try parse(bytes, path: storage.describe(path))
    }

    /// Parses the bytes of a `_metadata.json` read from `path`.
    package static func parse(_ bytes: [UInt8], path: String) throws(DiagnosticsError) -> FeedMetadata {
        var parser = YAMLParser()
        parser.maxBytes = 1 << 30
        parser.maxExpandedNodes = 1 << 28
        let documents: [YAMLNode]
        do { documents = try parser.parse(bytes, file: path) } catch { throw DiagnosticsError([error]) }
        guard let root = documents.first else { throw DiagnosticsError([Diagnostic("empty metadata", file: path)]) }
        let d = NodeDecoder()
        guard let m = d.mapping(root, what: "feed metadata") else { throw DiagnosticsError(d.diagnostics) }
        let type = m.choice("type", allowed: ["stream", "table"]).flatMap(FeedType.init(rawValue:)) ?? .stream
        var meta = FeedMetadata(source: m.string("source") ?? "", type: type)
        meta.lastExport = m.string("last_export")
        meta.watermark = m.int("watermark").map(Int64.init)
        meta.latenessMs = m.int("lateness_ms").map(Int64.init)
        meta.overlapFrom = m.int("overlap_from").map(Int64.init)
        meta.fingerprintKey = m.string("fingerprint_key")
        meta.overlapFile = m.string("overlap_file")
        meta.deltaVersion = m.int("delta_version", range: 0...Int(Int32.max))
        meta.deltaTxn = m.int("delta_txn", range: 0...Int(Int32.max)).map(Int64.init)
        meta.deltaTableId = m.string("delta_table_id")
        if let list = m.value("schema"), case let .sequence(items) = list.kind {
            meta.schema = items.compactMap { d.mapping($0, what: "a column") }.map { Column(name: $0.string("name") ?? "", type: $0.string("type") ?? "") }
        }
        if let list = m.value("files"), case let .sequence(items) = list.kind {
            meta.files = items.compactMap { d.mapping($0, what: "a file") }.map(decodeFile)
        }
        if let list = m.value("versions"), case let .sequence(items) = list.kind {
            meta.versions = items.compactMap { d.mapping($0, what: "a version") }.map {
                Version(number: $0.int("version") ?? 0, file: decodeFile($0), contentHash: $0.string("content_hash") ?? "")
            }
        }
        if let list = m.value("last_checks"), case let .sequence(items) = list.kind {
            meta.lastChecks = items.compactMap { d.mapping($0, what: "a check result") }.map {
                CheckResult(check: $0.string("check") ?? "", severity: $0.string("severity") ?? "error",
                            rowsChecked: $0.int("rows_checked") ?? 0, rowsFailed: $0.int("rows_failed") ?? 0)
            }
        }
        if let list = m.value("pending") { meta.pending = d.stringList(list, what: "\"pending\"") ?? [] }
        if let list = m.value("quarantine_files"), case let .sequence(items) = list.kind {
            meta.quarantineFiles = items.compactMap { d.mapping($0, what: "a quarantine file") }.map(decodeFile)
        }
        if let list = m.value("pending_quarantine") { meta.pendingQuarantine = d.stringList(list, what: "\"pending_quarantine\"") ?? [] }
        if !d.diagnostics.isEmpty { throw DiagnosticsError(d.diagnostics) }
        if let problem = meta.pathProblem() { throw DiagnosticsError([Diagnostic("refusing this metadata: \(problem)", file: path)]) }
        return meta
    }

    /// The metadata is read from the lake, so untrusted: every path it names must have the shape
    /// the layout gives it, inside the feed directory, or nothing is done with it.
    func pathProblem() -> String? {
        func check(_ path: String, what: String) -> String? {
            if let problem = LakePath.problem(in: path) { return "\(what) \"\(path)\" is \(problem)" }
            let dir = path.asPath.directory
            guard !path.isEmpty, !dir.isEmpty else { return "\(what) \"\(path)\" is not inside a partition directory" }
            // On the bytes: a metadata file lists every file of its feed, and plan reads them all.
            let parts = dir.utf8.split(separator: 0x2F)
            let ok = type == .stream
                ? parts.count == 3 && parts[0].starts(with: "year=".utf8) && parts[1].starts(with: "month=".utf8) && parts[2].starts(with: "day=".utf8)
                : parts.count == 1 && parts[0].starts(with: "version=v".utf8) && Int(String(decoding: parts[0].dropFirst(9), as: UTF8.self)) != nil
            return ok ? nil : "\(what) \"\(path)\" is not in a \(type == .stream ? "year=/month=/day=" : "version=vN") directory"
        }
        for f in files { if let p = check(f.path, what: "file") { return p } }
        for p in pending { if let problem = check(p, what: "pending file") { return problem } }
        if type == .stream {
            for f in quarantineFiles { if let p = check(f.path, what: "quarantine file") { return p } }
            for p in pendingQuarantine { if let problem = check(p, what: "pending quarantine file") { return problem } }
        } else if !quarantineFiles.isEmpty || !pendingQuarantine.isEmpty {
            return "a table has no quarantine files"
        }
        for v in versions {
            if let p = check(v.file.path, what: "version file") { return p }
            if v.file.path.asPath.directory != "version=v\(v.number)" { return "version \(v.number) names the file \"\(v.file.path)\"" }
        }
        if let key = fingerprintKey, SipHash(hex: key) == nil { return "fingerprint_key is not 32 hex digits" }
        if let id = deltaTableId, id.count > 64 || !id.allSatisfy({ $0.isASCII && ($0.isHexDigit || $0 == "-") }) {
            return "delta_table_id is not a UUID"
        }
        if let name = overlapFile, !(name.hasPrefix("_overlap_") && name.hasSuffix(".bin") && !name.contains("/") && LakePath.problem(in: name) == nil) {
            return "overlap_file \"\(name)\" is not an _overlap_*.bin file of the feed directory"
        }
        return nil
    }

    static func decodeFile(_ m: MappingReader) -> DataFile {
        DataFile(path: m.string("path") ?? "", rows: m.int("rows") ?? 0, bytes: m.int("bytes") ?? 0,
                 minTime: m.int("min_time").map(Int64.init), maxTime: m.int("max_time").map(Int64.init),
                 exportedAt: m.string("exported_at") ?? "")
    }
}
