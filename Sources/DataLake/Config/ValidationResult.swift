/// What `datalake validate` found: the loaded desired state, or every diagnostic of every file.
package struct ValidationResult: Sendable {
    /// Errors and warnings, sorted by position.
    package var diagnostics: [Diagnostic]
    package var desired: DesiredState?

    package var valid: Bool { desired != nil }

    package init(configPath: String) {
        do {
            let desired = try DesiredStateLoader.load(configPath: configPath)
            self.desired = desired
            diagnostics = desired.warnings.sorted()
        } catch {
            desired = nil
            diagnostics = error.diagnostics.sorted()
        }
    }

    /// `{"format_version", "valid", "diagnostics": [{file, line, column, severity, message}]}`;
    /// an unknown file, line or column is null.
    package var json: JSONValue {
        JSONDocument.versioned([
            ("valid", .bool(valid)),
            ("diagnostics", .array(diagnostics.map { d in
                .object([
                    ("file", d.file.map(JSONValue.string) ?? .null),
                    ("line", d.line > 0 ? .int(d.line) : .null),
                    ("column", d.column > 0 ? .int(d.column) : .null),
                    ("severity", .string(d.severity.rawValue)),
                    ("message", .string(d.message)),
                ])
            })),
        ])
    }
}
