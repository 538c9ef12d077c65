/// The few elements datalake reads from S3's XML answers, found by name (S3's answers are flat and
/// regular; a full XML parser is not needed for them).
enum S3XML {
    /// The text of every `<name>…</name>`, in order, entity-decoded.
    static func values(_ name: String, in xml: String) -> [String] {
        var out: [String] = []
        let open = "<\(name)>", close = "</\(name)>"
        var rest = xml[...]
        while let a = rest.range(of: open), let b = rest.range(of: close, range: a.upperBound..<rest.endIndex) {
            out.append(decode(String(rest[a.upperBound..<b.lowerBound])))
            rest = rest[b.upperBound...]
        }
        return out
    }

    static func value(_ name: String, in xml: String) -> String? { values(name, in: xml).first }

    /// The bodies of every `<name>…</name>` block (for `<Contents>`, `<Upload>`).
    static func blocks(_ name: String, in xml: String) -> [String] {
        var out: [String] = []
        let open = "<\(name)>", close = "</\(name)>"
        var rest = xml[...]
        while let a = rest.range(of: open), let b = rest.range(of: close, range: a.upperBound..<rest.endIndex) {
            out.append(String(rest[a.upperBound..<b.lowerBound]))
            rest = rest[b.upperBound...]
        }
        return out
    }

    static func decode(_ text: String) -> String {
        guard text.contains("&") else { return text }
        return text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&#13;", with: "\r").replacingOccurrences(of: "&amp;", with: "&")
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
