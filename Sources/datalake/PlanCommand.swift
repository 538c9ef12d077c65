import ArgumentParser
import DataLake
import KsqlDBClient
import LakeStorage
import Foundation

/// `datalake plan`: what apply would do, as an ordered list of actions.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show the actions that would bring the lake in line with the configuration.",
        discussion: "With --detailed-exitcode: 0 no changes, 2 changes, 1 error.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, markdown }

    @OptionGroup var config: ConfigOptions
    @Option(help: "text, json (versioned schema) or markdown (for a pull-request comment).")
    var format: Format = .text
    @Option(help: "Also save the plan (JSON) to this file, for `datalake apply FILE`.")
    var out: String?
    @Flag(help: "Exit 0 when there are no changes, 2 when there are, 1 on error.")
    var detailedExitcode = false
    @Flag(help: "Plan without contacting ksqlDB.")
    var offline = false
    @Option(name: .customLong("target"), help: "Limit the plan to this feed (repeatable).")
    var targets: [String] = []
    @Flag(help: "Never color the text output.")
    var noColor = false
    @Flag(help: "Plan expiries that delete a feed's newest partition (refused otherwise: a wrong clock does that).")
    var allowDestroy = false

    func run() async throws {
        let plan: Plan
        do {
            let session = try PlanSession.load(configPath: config.configPath)
            let targetSet = targets.isEmpty ? nil : Set(targets)
            if offline {
                guard LakeLayout.isInitialised(session.storage) else {
                    throw DataLakeError("the lake at \(session.storage.location) was never initialised: run `datalake init`, "
                                        + "or `datalake apply` (which creates it)")
                }
                plan = try session.plan(at: Date(), targets: targetSet, includeExports: true, allowDestroy: allowDestroy)
            } else {
                let client = KsqlDBClient(configuration: try session.desired.config.ksqldb.clientConfiguration())
                do {
                    plan = try await session.refreshedPlan(at: Date(), client: client, targets: targetSet, allowDestroy: allowDestroy)
                    try? await client.shutdown()
                } catch let error as DiagnosticsError {
                    try? await client.shutdown()
                    throw error
                } catch {
                    try? await client.shutdown()
                    throw DataLakeError("cannot refresh from ksqlDB (\(error)); use --offline to plan without it")
                }
            }
        } catch let error as DiagnosticsError {
            throw Terminal.fail(error)
        } catch {
            throw Terminal.fail("\(error)")
        }
        switch format {
        case .text: print(TextPlanRenderer(color: !noColor && Terminal.colorStdout).render(plan), terminator: "")
        case .json: print(JSONPlanRenderer().render(plan), terminator: "")
        case .markdown: print(MarkdownPlanRenderer().render(plan), terminator: "")
        }
        if let out {
            do { try LocalFiles.writeAtomically(out, JSONPlanRenderer().render(plan)) } catch {
                throw Terminal.fail("cannot save the plan to \(out): \(error.reason)")
            }
            if format == .text { print("Saved the plan to \(out): run `datalake apply \(out)` to execute exactly these actions.") }
        }
        if detailedExitcode && plan.hasChanges { throw ExitCode(2) }
    }
}
