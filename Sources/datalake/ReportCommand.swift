import ArgumentParser
import DataLake
import LakeStorage

/// `datalake report`: the seed's `--report` and `--csv`, to stdout or a file.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "A full report of the lake as text, JSON or CSV.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, csv }

    @OptionGroup var config: ConfigOptions
    @Option(help: "text, json or csv.") var format: Format = .text
    @Option(help: "Write the report to this file (atomically) instead of stdout.") var output: String?

    func run() throws {
        let desired = try config.loadDesired()
        let (storage, registry) = try config.loadRegistry(desired)
        let report = LakeReport(registry: registry, storage: storage)
        let text: String
        switch format {
        case .text: text = report.fullText(location: storage.location)
        case .json: text = report.json.rendered()
        case .csv: text = report.csv
        }
        if let output {
            do { try LocalFiles.writeAtomically(output, text) } catch { throw Terminal.fail("cannot write \(output): \(error.reason)") }
            print("wrote \(output)")
        } else {
            print(text, terminator: "")
        }
    }
}
