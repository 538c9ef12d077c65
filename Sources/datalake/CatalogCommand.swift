import ArgumentParser
import DataLake
import LakeStorage

/// `datalake catalog`: DDL that registers every feed with DuckDB, Spark or Trino.
struct CatalogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "Print the DDL that registers every active feed as a table in DuckDB, Spark or Trino.")

    @OptionGroup var config: ConfigOptions
    @Option(help: "duckdb | spark | trino") var engine: CatalogWriter.Engine = .duckdb
    @Option(help: "Trino: the Delta Lake catalog to register in.") var trinoCatalog = "delta"
    @Option(help: "Trino: the schema to register in.") var schema = "lake"
    @Option(help: "Write the DDL to this file instead of standard output.") var output: String?

    func run() throws {
        let desired = try config.loadDesired()
        let (storage, registry) = try config.loadRegistry(desired)
        var writer = CatalogWriter(engine: engine)
        writer.trinoCatalog = trinoCatalog
        writer.schema = schema
        let text = writer.render(registry: registry, storage: storage, root: desired.config.root, tierRoot: desired.config.tierRoot)
        if let output {
            do { try LocalFiles.writeAtomically(output, text) } catch { throw Terminal.fail("cannot write \(output): \(error.reason)") }
        } else {
            print(text, terminator: "")
        }
    }
}

extension CatalogWriter.Engine: ExpressibleByArgument {}
