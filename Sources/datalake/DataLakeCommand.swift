import ArgumentParser
import DataLake
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
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
