import ArgumentParser
import DataLake
import KsqlDBClient
import Foundation

/// `datalake apply [PLANFILE]`: executes the plan (computed now, or saved earlier).
struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Execute the plan: computed now, or a saved one (refused when stale).",
        discussion: "Idempotent: a second apply with nothing new changes no file. One apply at a time (lock in the lake). "
            + "With --format json: one JSON object a line (the plan, each finished action, a summary).")

    @OptionGroup var config: ConfigOptions
    @Argument(help: "A plan saved with `datalake plan --out FILE`.")
    var planFile: String?
    @Option(name: .customLong("target"), help: "Limit the run to this feed (repeatable).")
    var targets: [String] = []
    @Flag(help: "Never color the text output.")
    var noColor = false
    @Flag(help: "Apply lifecycle and maintenance actions without ksqlDB (exports and snapshots are skipped).")
    var offline = false
    @Flag(help: "Allow expiries that delete a feed's newest partition (refused otherwise: a wrong clock does that).")
    var allowDestroy = false
    @Flag(help: "Do not ask for confirmation on a terminal (a saved plan and a run without a terminal never ask).")
    var autoApprove = false
    @OptionGroup var output: OutputFormatOptions

    func validate() throws {
        if planFile != nil && !targets.isEmpty { throw ValidationError("--target applies when computing a plan, not to a saved plan") }
        if planFile != nil && offline { throw ValidationError("--offline applies when computing a plan; a saved plan runs as it was made") }
        // As `terraform apply -json`: machine output cannot carry the question.
        if output.json && planFile == nil && !autoApprove && Terminal.interactive {
            throw ValidationError("--format json cannot ask for approval: pass --auto-approve, or apply a saved plan")
        }
    }

    func run() async throws {
        var runner = ApplyRunner(config: config, noColor: noColor, offline: offline, feeds: targets.isEmpty ? nil : targets)
        // As `terraform apply`: a plan computed now, shown on a terminal, runs only on "yes".
        runner.confirm = planFile == nil && !autoApprove && Terminal.interactive
        runner.json = output.json
        try await runner.run { session, client in
            if let planFile { return try session.savedPlan(planFile) }
            guard let client else {
                return try session.plan(at: Date(), targets: targets.isEmpty ? nil : Set(targets), includeExports: false, allowDestroy: allowDestroy)
            }
            return try await session.refreshedPlan(at: Date(), client: client, targets: targets.isEmpty ? nil : Set(targets),
                                                   allowDestroy: allowDestroy)
        }
    }
}
