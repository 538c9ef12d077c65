import ArgumentParser
import DataLake
import Foundation

/// `datalake init`: creates the lake layout, and a starter lake.yaml and feeds.d when absent.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create the lake layout (and a starter lake.yaml and feeds.d when absent).",
        discussion: "Re-running is harmless: nothing that exists is changed.")

    @OptionGroup var config: ConfigOptions

    func run() throws {
        do {
            let created = try LakeInitializer(configPath: config.configPath).run()
            if created.isEmpty {
                print("Already initialised: nothing to create.")
            } else {
                for path in created { print("created \(path)") }
                print("Next: `datalake validate`, then `datalake plan`.")
            }
        } catch let error as DiagnosticsError {
            throw Terminal.fail(error)
        }
    }
}
