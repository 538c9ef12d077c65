import LakeStorage
import Parquet

/// `datalake inspect`: a Parquet file's footer (schema, row groups, sizes, encodings, codec,
/// statistics) as text or JSON, like parquet-tools.
package struct ParquetFileReport {
    package var file: String
    package var size: Int
    package var meta: FileMetaData

    /// Reads the footer of the local file `file`.
    package init(file: String) throws(DataLakeError) {
        self.file = file
        do { meta = try FooterReader.read(path: file) } catch { throw DataLakeError("\(file): error: \(error.message)") }
        size = LocalFiles.kind(file)?.size ?? 0
    }

    private func typeText(_ e: SchemaElement) -> String {
        var t = e.type?.name ?? "group"
        if let l = e.logicalType { t += " " + l.description } else if let c = e.convertedType { t += " (\(c.name))" }
        return t
    }

    package var json: JSONValue {
        let leaves = meta.leafColumns
        let schema: [JSONValue] = leaves.map { path, e in
            var s: [(String, JSONValue)] = [("path", .string(path.joined(separator: "."))), ("physical_type", .string(e.type?.name ?? "")),
                                            ("repetition", .string(e.repetition?.name ?? "required"))]
            if let l = e.logicalType { s.append(("logical_type", .string(l.description))) }
            if let c = e.convertedType { s.append(("converted_type", .string(c.name))) }
            if let n = e.typeLength { s.append(("type_length", .int(Int(n)))) }
            return .object(s.sorted { $0.0 < $1.0 })
        }
        let groups: [JSONValue] = meta.rowGroups.map { g in
            let columns: [JSONValue] = g.columns.enumerated().map { i, c in
                var d: [(String, JSONValue)] = [
                    ("codec", .string(c.codec.name)), ("compressed_size", .int(Int(c.totalCompressedSize))),
                    ("data_page_offset", .int(Int(c.dataPageOffset))),
                    ("encodings", .array(c.encodings.map { .string($0.name) })), ("num_values", .int(Int(c.numValues))),
                    ("path", .string(c.path.joined(separator: "."))), ("physical_type", .string(c.type.name)),
                    ("uncompressed_size", .int(Int(c.totalUncompressedSize))),
                ]
                if let o = c.dictionaryPageOffset { d.append(("dictionary_page_offset", .int(Int(o)))) }
                if let s = c.statistics {
                    var st: [(String, JSONValue)] = []
                    if i < leaves.count {
                        if let m = s.maxValue { st.append(("max", .string(StatisticsFormatter.format(m, element: leaves[i].element)))) }
                        if let m = s.minValue { st.append(("min", .string(StatisticsFormatter.format(m, element: leaves[i].element)))) }
                    }
                    if let n = s.nullCount { st.append(("null_count", .int(Int(n)))) }
                    d.append(("statistics", .object(st.sorted { $0.0 < $1.0 })))
                }
                return .object(d.sorted { $0.0 < $1.0 })
            }
            return .object([("columns", .array(columns)), ("num_rows", .int(Int(g.numRows))),
                            ("total_byte_size", .int(Int(g.totalByteSize))), ("total_compressed_size", .int(Int(g.totalCompressedSize ?? 0)))])
        }
        let kv: [(String, JSONValue)] = meta.keyValueMetadata.map { ($0.0, $0.1.map(JSONValue.string) ?? .null) }.sorted { $0.0 < $1.0 }
        return JSONDocument.versioned([
            ("created_by", meta.createdBy.map(JSONValue.string) ?? .null), ("file", .string(file)), ("file_size", .int(size)),
            ("key_value_metadata", .object(kv)), ("num_row_groups", .int(meta.rowGroups.count)), ("num_rows", .int(Int(meta.numRows))),
            ("row_groups", .array(groups)), ("schema", .array(schema)), ("version", .int(Int(meta.version))),
        ])
    }

    package var text: String {
        var out = "file:        \(file)\nsize:        \(size) bytes\ncreated_by:  \(meta.createdBy ?? "-")\n"
        out += "rows:        \(meta.numRows)\nrow groups:  \(meta.rowGroups.count)\n"
        for (k, v) in meta.keyValueMetadata { out += "metadata:    \(k) = \(v ?? "")\n" }
        out += "\nschema:\n"
        var index = 1
        func walk(_ depth: Int) {
            guard index < meta.schema.count else { return }
            let e = meta.schema[index]
            index += 1
            out += String(repeating: "  ", count: depth + 1) + "\(e.repetition?.name ?? "required") \(typeText(e)) \(e.name)\n"
            if e.type == nil, let n = e.numChildren { for _ in 0..<n { walk(depth + 1) } }
        }
        for _ in 0..<(meta.schema.first?.numChildren ?? 0) { walk(0) }
        let leaves = meta.leafColumns
        for (gi, g) in meta.rowGroups.enumerated() {
            out += "\nrow group \(gi): \(Plural.count(g.numRows, "row")), \(Plural.count(g.totalCompressedSize ?? 0, "byte")) compressed, \(g.totalByteSize) uncompressed\n"
            for (i, c) in g.columns.enumerated() {
                out += "  \(c.path.joined(separator: ".")) \(c.type.name) \(c.codec.name) [\(c.encodings.map(\.name).joined(separator: ","))]"
                out += " values=\(c.numValues) size=\(c.totalCompressedSize)/\(c.totalUncompressedSize)"
                if let s = c.statistics {
                    out += " nulls=\(s.nullCount.map(String.init) ?? "-")"
                    if i < leaves.count, let lo = s.minValue, let hi = s.maxValue {
                        out += " min=\(StatisticsFormatter.format(lo, element: leaves[i].element))"
                        out += " max=\(StatisticsFormatter.format(hi, element: leaves[i].element))"
                    }
                }
                out += "\n"
            }
        }
        return out
    }
}
