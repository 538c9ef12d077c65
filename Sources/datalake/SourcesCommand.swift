import ArgumentParser

// Placeholder: the issue that owns this command replaces this file.
struct SourcesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sources", abstract: "(not yet implemented)")
    func run() async throws { throw ExitCode.failure }
}
