import ArgumentParser
import DataLake
import Parquet

extension ParquetCompatibility: ExpressibleByArgument {}

/// `datalake convert`: a saved ksqlDB `/query-stream` delimited response → one Parquet file.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert ksqlDB /query-stream delimited output into a Parquet file.",
        discussion: """
            INPUT holds a header line {"queryId":…,"columnNames":[…],"columnTypes":[…]} and one JSON array \
            per row, as `curl … /query-stream` saves it; `-` reads stdin. Values are decoded by the header's \
            column types. The output appears only when complete (temporary file, fsync, rename).
            """)

    @Argument(help: "The delimited dump to read, or - for stdin.")
    var input: String

    @Option(name: .shortAndLong, help: "The Parquet file to write.")
    var output: String

    @Option(help: "Page compression: snappy, zstd or none.")
    var compression: String = "snappy"

    @Option(help: "Rows per row group.")
    var rowGroupRows: Int = ParquetWriterOptions().rowGroupRowLimit

    @Option(help: "Approximate in-memory bytes per row group before it is written.")
    var rowGroupBytes: Int = ParquetWriterOptions().rowGroupByteLimit

    @Option(help: "Dictionary page size limit in bytes; past it a column chunk falls back to PLAIN.")
    var dictionaryLimit: Int = ParquetWriterOptions().dictionaryPageSizeLimit

    @Option(help: "all (any encoding pyarrow, DuckDB, pandas, polars and Spark read), or fastparquet (also what fastparquet reads).")
    var compatibility: ParquetCompatibility = .all

    @Flag(help: "Print rows and bytes written.")
    var verbose = false

    func validate() throws {
        guard Compression(name: compression) != nil else { throw ValidationError("--compression must be snappy, zstd or none") }
        guard rowGroupRows > 0, rowGroupBytes > 0, dictionaryLimit >= 0 else { throw ValidationError("sizes must be positive") }
    }

    func run() throws {
        var options = ParquetWriterOptions()
        options.compression = Compression(name: compression)!
        options.rowGroupRowLimit = rowGroupRows
        options.rowGroupByteLimit = rowGroupBytes
        options.dictionaryPageSizeLimit = dictionaryLimit
        compatibility.restrict(&options)
        do {
            let summary = try DumpConversion.convert(inputPath: input, outputPath: output, options: options)
            if verbose { print("\(output): \(Plural.count(summary.rows, "row")), \(Plural.count(summary.bytes, "byte")), \(Plural.count(summary.footer.rowGroups.count, "row group"))") }
        } catch {
            Terminal.printError(error.description)
            throw ExitCode.failure
        }
    }
}
