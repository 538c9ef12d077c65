import LakeStorage

extension DesiredStateLoader {
    /// Only `lake.yaml` (for `init` before any feed file exists, and for `doctor`).
    package static func loadConfigOnly(configPath: String) throws(DiagnosticsError) -> LakeConfig {
        let bytes = try readConfig(configPath)
        let decoder = NodeDecoder()
        let document: YAMLNode?
        do { document = try YAMLParser().parse(bytes, file: configPath).first } catch { throw DiagnosticsError([error]) }
        let config = LakeConfig.decode(document, path: configPath, baseDirectory: LocalFiles.directory(of: configPath), decoder: decoder)
        if !decoder.diagnostics.isEmpty { throw DiagnosticsError(decoder.diagnostics) }
        return config
    }

    /// The bytes of `lake.yaml`.
    static func readConfig(_ configPath: String) throws(DiagnosticsError) -> [UInt8] {
        try readLocal(configPath, what: "the config", missingHint: " (run `datalake init` to create one)")
    }

    /// A config or feed file: a regular file (a FIFO or `/dev/zero` is refused, not read forever), at
    /// most the YAML parser's size limit.
    static func readLocal(_ path: String, what: String, missingHint: String = "") throws(DiagnosticsError) -> [UInt8] {
        let bytes: [UInt8]?
        do { bytes = try LocalFiles.read(path, limit: YAMLParser.defaultMaxBytes) } catch {
            throw DiagnosticsError([Diagnostic("cannot read \(what): \(error.reason)", file: path)])
        }
        guard let bytes else { throw DiagnosticsError([Diagnostic("cannot read \(what): No such file or directory\(missingHint)", file: path)]) }
        return bytes
    }
}
