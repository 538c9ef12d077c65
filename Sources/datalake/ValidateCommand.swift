import ArgumentParser
import DataLake

/// `datalake validate`: checks lake.yaml and every feed file without touching the lake.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check lake.yaml and every feed file; reads nothing of the lake.",
        discussion: "Exit 0 when valid, 1 with every error (file:line:col) otherwise.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, github, json }

    @OptionGroup var config: ConfigOptions
    @Option(help: "text, github for GitHub Actions annotations on the offending lines, or json.")
    var format: Format = .text

    func run() throws {
        let result = ValidationResult(configPath: config.configPath)
        switch format {
        case .json: print(result.json.rendered(), terminator: "")
        case .github: for d in result.diagnostics { print(d.githubAnnotation) }
        case .text: for d in result.diagnostics where d.severity == .warning { print(d.description) }
        }
        // The plain lines go to stderr whatever the format: a CI log shows them next to the document.
        for d in result.diagnostics where d.severity == .error { Terminal.printError(d.description) }
        guard let desired = result.desired else { throw ExitCode.failure }
        if format != .json {
            print("\(config.configPath) and \(Plural.count(desired.feeds.count, "feed")) in \(desired.config.feedsDirectory) are valid.")
        }
    }
}
