import ArgumentParser
import KsqlDBEmulator

// Placeholder: the emulator issue replaces this file.
@main
struct EmulatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ksqldb-emulator")
    func run() async throws { throw ExitCode.failure }
}
