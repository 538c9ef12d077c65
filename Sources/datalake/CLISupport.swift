import ArgumentParser
import DataLake
import LakeStorage
import Foundation

/// `--config`, shared by every command that reads the desired state.
struct ConfigOptions: ParsableArguments {
    @Option(name: [.short, .customLong("config")], help: "Path to lake.yaml.")
    var configPath: String = ProcessInfo.processInfo.environment["DATALAKE_CONFIG"] ?? "lake.yaml"

    func loadDesired() throws -> DesiredState {
        do { return try DesiredStateLoader.load(configPath: configPath) } catch { throw Terminal.fail(error) }
    }

    /// The lake's storage and registry.
    func loadRegistry(_ desired: DesiredState) throws -> (storage: any LakeStorage, registry: Registry) {
        do {
            let storage = try desired.config.openStorage()
            return (storage, try Registry.load(storage, defaults: desired.config.defaults))
        } catch {
            throw Terminal.fail(error)
        }
    }
}

/// Output helpers: diagnostics to stderr, color only on a terminal without NO_COLOR.
enum Terminal {
    static var colorStdout: Bool {
        let env = ProcessInfo.processInfo.environment
        return isatty(STDOUT_FILENO) == 1 && env["NO_COLOR"] == nil && env["TERM"] != "dumb"
    }

    /// Progress goes to stderr, and only when it is a terminal.
    /// Someone at a terminal: standard input and output are both one.
    static var interactive: Bool { isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 }

    static var progressOnStderr: Bool { isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["TERM"] != "dumb" }

    static func printErrorInline(_ text: String) { LocalFiles.writeStandardError(text) }

    static func printError(_ line: String) { LocalFiles.writeStandardError(line + "\n") }

    /// Prints every diagnostic, one per line, sorted, and returns the failure exit code to throw.
    static func fail(_ error: DiagnosticsError) -> ExitCode {
        for d in error.diagnostics.sorted() { printError(d.description) }
        return ExitCode.failure
    }

    static func fail(_ message: String) -> ExitCode {
        printError("error: \(message)")
        return ExitCode.failure
    }
}
