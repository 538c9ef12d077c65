import LakeStorage

extension LakeConfig {
    /// `s3` for `s3://bucket/prefix`, nil for a local path.
    static func scheme(of root: String) -> String? {
        guard let range = root.range(of: "://") else { return nil }
        let scheme = root[..<range.lowerBound]
        guard !scheme.isEmpty, scheme.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." }) else { return nil }
        return scheme.lowercased()
    }

    /// The storage the lake's root names (a local directory today).
    package func openStorage() throws(DiagnosticsError) -> any LakeStorage {
        if let scheme = Self.scheme(of: root) {
            throw DiagnosticsError([Diagnostic("root \"\(root)\": \(scheme):// lakes are not supported by this datalake", file: path)])
        }
        return LocalLakeStorage(root: root)
    }
}
