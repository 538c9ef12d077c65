import ArgumentParser
import DataLake
import Foundation
import LakeStorage

/// The `datalake` command line: keeps a Parquet data lake in sync with ksqlDB, as config-as-code.
@main
struct DataLakeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "datalake",
        abstract: "Keep a Parquet data lake in sync with ksqlDB, as config-as-code.",
        version: DataLakeVersion.current,
        subcommands: [
            InitCommand.self,
            ValidateCommand.self,
            PlanCommand.self,
            ApplyCommand.self,
            ExportCommand.self,
            StatsCommand.self,
            HistoryCommand.self,
            CatalogCommand.self,
            CheckCommand.self,
            ReportCommand.self,
            FeedsCommand.self,
            DoctorCommand.self,
            SchemaCommand.self,
            ConvertCommand.self,
            InspectCommand.self,
            SourcesCommand.self,
            ForceUnlockCommand.self,
        ]
    )

    static func main() async {
        LocalFiles.lineBufferStandardOutput()
        var command: any ParsableCommand
        do { command = try parseAsRoot() } catch {
            // --help and --version are "errors" that exit 0: printed as the parser prints them.
            let code = exitCode(for: error)
            if code == .success { exit(withError: error) }
            Terminal.printError(usageError(fullMessage(for: error)))
            exit(withError: code)
        }
        do {
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }

    /// The parser's several lines (`Error: …`, `Help: …`, usage, `See '…' for more information.`) as
    /// one: `error: <message> (see 'datalake <command> --help')`.
    static func usageError(_ full: String) -> String {
        let lines = full.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        var message = lines.first { !$0.isEmpty } ?? "invalid arguments"
        if message.hasPrefix("Error: ") { message.removeFirst("Error: ".count) }
        if let first = message.first, first.isUppercase, message.dropFirst().first?.isLowercase == true {
            message = first.lowercased() + message.dropFirst()
        }
        var help = "datalake --help"
        if let see = lines.first(where: { $0.hasPrefix("See '") }), let open = see.firstIndex(of: "'"),
           let close = see[see.index(after: open)...].firstIndex(of: "'") {
            help = String(see[see.index(after: open)..<close])
        }
        return "error: \(message) (see '\(help)')"
    }
}
