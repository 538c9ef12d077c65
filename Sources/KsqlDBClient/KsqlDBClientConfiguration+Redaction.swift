extension KsqlDBClientConfiguration: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The configuration with the password left out, so that printing or dumping it never leaks it.
    package var description: String {
        let user = credentials.map { " user=\($0.user) password=<redacted>" } ?? ""
        let tls = (caFile.map { " caFile=\($0)" } ?? "") + (insecureSkipVerify ? " insecureSkipVerify" : "")
        return "KsqlDBClientConfiguration(\(endpoint) connectTimeout=\(connectTimeout) readTimeout=\(readTimeout)\(user)\(tls))"
    }

    package var debugDescription: String { description }

    package var customMirror: Mirror {
        Mirror(self, children: ["description": description])
    }
}
