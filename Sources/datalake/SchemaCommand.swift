import ArgumentParser
import DataLake

/// `datalake schema`: a JSON Schema for feed files, for editors.
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "schema", abstract: "Print a JSON Schema for feed files (for editor completion).")

    func run() { print(FeedJSONSchema.json.rendered(), terminator: "") }
}
