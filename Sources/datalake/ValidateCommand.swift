import ArgumentParser
import DataLake

/// `datalake validate`: checks lake.yaml and every feed file without touching the lake.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check lake.yaml and every feed file; reads nothing of the lake.",
        discussion: "Exit 0 when valid, 1 with every error (file:line:col) otherwise.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, github }

    @OptionGroup var config: ConfigOptions
    @Option(help: "text, or github for GitHub Actions annotations on the offending lines.")
    var format: Format = .text

    func run() throws {
        do {
            let desired = try DesiredStateLoader.load(configPath: config.configPath)
            for w in desired.warnings { print(format == .github ? w.githubAnnotation : w.description) }
            print("\(config.configPath) and \(desired.feeds.count) feeds in \(desired.config.feedsDirectory) are valid.")
        } catch {
            if format == .github {
                for d in error.diagnostics.sorted() { print(d.githubAnnotation) }
            }
            for d in error.diagnostics.sorted() { Terminal.printError(d.description) }
            throw ExitCode.failure
        }
    }
}
