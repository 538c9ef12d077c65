import ArgumentParser
import DataLake

/// `datalake inspect`: a Parquet file's footer (schema, row groups, sizes, encodings, codec, statistics).
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show a Parquet file's schema, row groups, sizes, encodings, codec and statistics.")

    @Argument(help: "The Parquet file to inspect.")
    var file: String

    @OptionGroup var output: OutputFormatOptions

    func run() throws {
        let report: ParquetFileReport
        do { report = try ParquetFileReport(file: file) } catch {
            Terminal.printError(error.description)
            throw ExitCode.failure
        }
        print(output.json ? report.json.rendered() : report.text, terminator: "")
    }
}
