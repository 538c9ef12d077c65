/// A problem found in the desired state or the lake, blamed on a file position when there is one.
/// Every layer that can blame the config produces these; the CLI renders them once.
package struct Diagnostic: Error, Hashable, Sendable, Comparable, CustomStringConvertible {
    package enum Severity: String, Sendable { case error, warning }

    package var severity: Severity
    package var message: String
    package var file: String?
    /// 1-based; 0 when unknown.
    package var line: Int
    package var column: Int

    package init(_ message: String, file: String? = nil, line: Int = 0, column: Int = 0, severity: Severity = .error) {
        self.severity = severity
        self.message = message
        self.file = file
        self.line = line
        self.column = column
    }

    package init(_ message: String, at location: SourceLocation, severity: Severity = .error) {
        self.init(message, file: location.file, line: location.line, column: location.column, severity: severity)
    }

    /// `file:line:col: error: message`, or fewer prefixes when the position is unknown.
    package var description: String {
        var prefix = ""
        if let file {
            prefix = file
            if line > 0 { prefix += ":\(line)" + (column > 0 ? ":\(column)" : "") }
            prefix += ": "
        }
        return "\(prefix)\(severity.rawValue): \(message)"
    }

    /// A GitHub Actions workflow command, so a pull request shows the error on its line.
    package var githubAnnotation: String {
        var props: [String] = []
        if let file { props.append("file=\(file)") }
        if line > 0 { props.append("line=\(line)") }
        if column > 0 { props.append("col=\(column)") }
        let escaped = message.replacingPercentAndNewlines()
        return "::\(severity.rawValue) " + props.joined(separator: ",") + "::" + escaped
    }

    package static func < (a: Diagnostic, b: Diagnostic) -> Bool {
        ((a.file ?? ""), a.line, a.column, a.message) < ((b.file ?? ""), b.line, b.column, b.message)
    }
}

/// Diagnostics that end a command: rendered by the CLI, one per line.
package struct DiagnosticsError: Error, Sendable {
    package var diagnostics: [Diagnostic]
    package init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics.sorted() }
}

extension String {
    fileprivate func replacingPercentAndNewlines() -> String {
        var out = ""
        for ch in self {
            switch ch {
            case "%": out += "%25"
            case "\r": out += "%0D"
            case "\n": out += "%0A"
            default: out.append(ch)
            }
        }
        return out
    }
}
