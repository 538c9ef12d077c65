import ArgumentParser
import DataLake

/// `datalake feeds list`: desired and registered state side by side.
struct FeedsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Desired (feeds.d) and registered (lake) state side by side.")

    @OptionGroup var config: ConfigOptions

    func run() throws {
        let desired = try config.loadDesired()
        let registry = try config.loadRegistry(desired).registry
        let rows = FeedListing(desired: desired, registry: registry).rows
        let header = ["FEED", "TYPE", "SOURCE", "DESIRED", "REGISTERED", "FILE"]
        let table = [header] + rows.map { [$0.name, $0.type, $0.source, $0.desired, $0.registered, $0.file] }
        let widths = header.indices.map { i in table.map { $0[i].count }.max() ?? 0 }
        for row in table {
            print(row.enumerated().map { i, cell in i == row.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0) }
                .joined(separator: "  "))
        }
    }
}
