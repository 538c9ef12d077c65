import ArgumentParser

// Placeholder: the issue that owns this command replaces this file.
struct ConvertCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "convert", abstract: "(not yet implemented)")
    func run() async throws { throw ExitCode.failure }
}
