/// The release of datalake, as the CLI reports it and Delta commits name their writer.
package enum DataLakeVersion {
    package static let current = "0.1.0"
    package static var engineInfo: String { "datalake/\(current)" }
}
