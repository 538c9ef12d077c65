import ArgumentParser
import DataLake

/// `datalake feeds …`: imperative helpers that edit the desired state in feeds.d (GitOps: never
/// the registry). Each ends by pointing at `datalake plan`.
struct FeedsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feeds",
        abstract: "List feeds, or edit feed files (add, enable, disable, archive).",
        subcommands: [FeedsListCommand.self, FeedsAddCommand.self, FeedsStateCommand.Enable.self,
                      FeedsStateCommand.Disable.self, FeedsStateCommand.Archive.self])

    static let nextStep = "run `datalake plan` to see the effect"
}
