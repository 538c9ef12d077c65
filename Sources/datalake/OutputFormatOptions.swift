import ArgumentParser

/// `--format text|json`, the one convention for machine output, with the old `--json` flag kept
/// (hidden) so that existing scripts go on working.
struct OutputFormatOptions: ParsableArguments {
    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Option(help: "text, or json (a versioned document: its first key is format_version).")
    var format: Format = .text

    @Flag(name: .customLong("json"), help: .hidden)
    var legacyJSON = false

    var json: Bool { format == .json || legacyJSON }
}
