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
            pairs.append(("overlap_file", .from(overlapFile)))
        } else {
            pairs.append(("latest_version", latestVersion.map { .int($0.number) } ?? .null))
            pairs.append(("latest_path", latestVersion.map { .string($0.file.path) } ?? .null))
            pairs.append(("versions", .array(versions.map { v in
                .object([("version", .int(v.number)), ("path", .string(v.file.path)), ("rows", .int(v.file.rows)),
                         ("bytes", .int(v.file.bytes)), ("content_hash", .string(v.contentHash)), ("exported_at", .string(v.file.exportedAt))])
            })))
        }
        pairs.append(("files", .array(files.map { f in
            var o: [(String, JSONValue)] = [("path", .string(f.path)), ("rows", .int(f.rows)), ("bytes", .int(f.bytes))]
            if let t = f.minTime { o.append(("min_time", .int(Int(t)))) }
            if let t = f.maxTime { o.append(("max_time", .int(Int(t)))) }
            o.append(("exported_at", .string(f.exportedAt)))
            return .object(o)
        })))
        pairs.append(("pending", .array(pending.map(JSONValue.string))))
        return .object(pairs)
    }

    /// Reads `_metadata.json`; errors name the file position.
    package static func load(_ path: String) throws(DiagnosticsError) -> FeedMetadata {
        let bytes: [UInt8]
        do { bytes = try FileIO.read(path) } catch { throw DiagnosticsError([Diagnostic("cannot read: \(error.reason)", file: path)]) }
        return try parse(bytes, path: path)
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
        meta.overlapFile = m.string("overlap_file")
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
        if let list = m.value("pending") { meta.pending = d.stringList(list, what: "\"pending\"") ?? [] }
        if !d.diagnostics.isEmpty { throw DiagnosticsError(d.diagnostics) }
        return meta
    }

    static func decodeFile(_ m: MappingReader) -> DataFile {
        DataFile(path: m.string("path") ?? "", rows: m.int("rows") ?? 0, bytes: m.int("bytes") ?? 0,
                 minTime: m.int("min_time").map(Int64.init), maxTime: m.int("max_time").map(Int64.init),
                 exportedAt: m.string("exported_at") ?? "")
    }
}
