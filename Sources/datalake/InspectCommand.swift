import ArgumentParser
import Foundation
import Parquet

/// `datalake inspect`: a Parquet file's footer (schema, row groups, sizes, encodings, codec, statistics).
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show a Parquet file's schema, row groups, sizes, encodings, codec and statistics.")

    @Argument(help: "The Parquet file to inspect.")
    var file: String

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() throws {
        let meta: FileMetaData
        do {
            meta = try FooterReader.read(path: file)
        } catch {
            printError("\(file): error: \(error.message)")
            throw ExitCode.failure
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
        if json {
            let data = try JSONSerialization.data(withJSONObject: jsonReport(meta, size: size), options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(textReport(meta, size: size), terminator: "")
        }
    }

    private func typeText(_ e: SchemaElement) -> String {
        var t = e.type?.name ?? "group"
        if let l = e.logicalType { t += " " + l.description } else if let c = e.convertedType { t += " (\(c.name))" }
        return t
    }

    private func jsonReport(_ meta: FileMetaData, size: Int) -> [String: Any] {
        let leaves = meta.leafColumns
        var schema: [[String: Any]] = []
        for (path, e) in leaves {
            var s: [String: Any] = ["path": path.joined(separator: "."), "physical_type": e.type?.name ?? "",
                                    "repetition": e.repetition?.name ?? "required"]
            if let l = e.logicalType { s["logical_type"] = l.description }
            if let c = e.convertedType { s["converted_type"] = c.name }
            if let n = e.typeLength { s["type_length"] = Int(n) }
            schema.append(s)
        }
        let groups: [[String: Any]] = meta.rowGroups.map { g in
            let columns: [[String: Any]] = g.columns.enumerated().map { i, c in
                var d: [String: Any] = [
                    "path": c.path.joined(separator: "."), "physical_type": c.type.name, "codec": c.codec.name,
                    "encodings": c.encodings.map(\.name), "num_values": Int(c.numValues),
                    "compressed_size": Int(c.totalCompressedSize), "uncompressed_size": Int(c.totalUncompressedSize),
                    "data_page_offset": Int(c.dataPageOffset),
                ]
                if let o = c.dictionaryPageOffset { d["dictionary_page_offset"] = Int(o) }
                if let s = c.statistics {
                    var st: [String: Any] = [:]
                    if let n = s.nullCount { st["null_count"] = Int(n) }
                    if i < leaves.count {
                        if let m = s.minValue { st["min"] = StatisticsFormatter.format(m, element: leaves[i].element) }
                        if let m = s.maxValue { st["max"] = StatisticsFormatter.format(m, element: leaves[i].element) }
                    }
                    d["statistics"] = st
                }
                return d
            }
            return ["num_rows": Int(g.numRows), "total_byte_size": Int(g.totalByteSize),
                    "total_compressed_size": Int(g.totalCompressedSize ?? 0), "columns": columns]
        }
        var kv: [String: Any] = [:]
        for (k, v) in meta.keyValueMetadata { kv[k] = v ?? NSNull() }
        return ["file": file, "file_size": size, "created_by": meta.createdBy ?? NSNull(), "version": Int(meta.version),
                "num_rows": Int(meta.numRows), "num_row_groups": meta.rowGroups.count, "key_value_metadata": kv,
                "schema": schema, "row_groups": groups]
    }

    private func textReport(_ meta: FileMetaData, size: Int) -> String {
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
            out += "\nrow group \(gi): \(g.numRows) rows, \(g.totalCompressedSize ?? 0) bytes compressed, \(g.totalByteSize) uncompressed\n"
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
