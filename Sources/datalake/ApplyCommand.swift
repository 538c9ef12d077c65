import ArgumentParser
import DataLake
import Foundation

/// `datalake apply [PLANFILE]`: executes the plan (computed now, or saved earlier).
struct ApplyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Execute the plan: computed now, or a saved one (refused when stale).",
        discussion: "Idempotent: a second apply with nothing new changes no file. One apply at a time (lock in the lake).")

    @OptionGroup var config: ConfigOptions
    @Argument(help: "A plan saved with `datalake plan --out FILE`.")
    var planFile: String?
    @Option(name: .customLong("target"), help: "Limit the run to this feed (repeatable).")
    var targets: [String] = []
    @Flag(help: "Never color the text output.")
    var noColor = false

    func validate() throws {
        if planFile != nil && !targets.isEmpty { throw ValidationError("--target applies when computing a plan, not to a saved plan") }
    }

    func run() throws {
        let desired = try config.loadDesired()
        let layout = LakeLayout(root: desired.config.root)
        do { try FileIO.makeDirectories(layout.root) } catch { throw Terminal.fail("\(error)") }
        let lock: ApplyLock
        do { lock = try ApplyLock(path: layout.lockFile) } catch { throw Terminal.fail(error) }
        let plan: Plan
        do {
            let session = try PlanSession.load(configPath: config.configPath)
            let registry = session.registry
            if let planFile {
                plan = try Plan.load(planFile)
                if plan.configDigest != desired.digest || plan.registryDigest != registry.digest {
                    let what = plan.configDigest != desired.digest ? "the configuration" : "the lake's registry"
                    throw DiagnosticsError([Diagnostic("stale plan: \(what) changed since it was made; run `datalake plan` again", file: planFile)])
                }
            } else {
                plan = try session.plan(at: Date(), targets: targets.isEmpty ? nil : Set(targets), includeExports: false)
            }
        } catch let error as DiagnosticsError { throw Terminal.fail(error) } catch { throw Terminal.fail("\(error)") }
        print(TextPlanRenderer(color: !noColor && Terminal.colorStdout).render(plan), terminator: "")
        guard plan.hasChanges else { return }
        lock.recordHolder(now: Clock.system.timestamp())
        print("")
        do {
            let (results, log) = try Applier(layout: layout).apply(plan) { print("  \($0)") }
            if let failed = results.first(where: { $0.error != nil }) {
                throw Terminal.fail("apply stopped at \(failed.action.kind.rawValue) \(failed.action.feed): \(failed.error!) (log: \(log))")
            }
            print("\nApply complete: \(results.count) actions done. Log: \(log)")
        } catch let code as ExitCode {
            throw code
        } catch {
            throw Terminal.fail("\(error)")
        }
    }
}
