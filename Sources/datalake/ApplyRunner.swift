import ArgumentParser
import DataLake
import Foundation
import KsqlDBClient
import LakeStorage

/// The shared body of `apply` and `export`: lock the lake, plan (through `makePlan`), print the plan,
/// execute it with progress on stderr, and exit non-zero on the first failure; SIGINT and SIGTERM
/// stop it at the next safe point (exit 130 and 143).
struct ApplyRunner {
    var config: ConfigOptions
    var noColor: Bool
    /// No ksqlDB: lifecycle and maintenance only (`apply --offline`).
    var offline = false
    /// The feeds this run may touch (their locks are taken); nil: every feed.
    var feeds: [String]? = nil
    /// Ask for "yes" before a plan with changes runs (an interactive apply).
    var confirm = false
    /// `--format json`: newline-delimited objects on stdout instead of the text (ApplyJSONRenderer).
    var json = false

    func run(makePlan: (PlanSession, KsqlDBClient?) async throws -> Plan) async throws {
        let desired = try config.loadDesired()
        let storage: any LakeStorage
        let lock: FeedLocks
        do {
            storage = try desired.config.openStorage()
            try await ApplyPreflight(config: desired.config, storage: storage).check(contactKsqlDB: !offline)
            try storage.makeDirectories(.root, mode: 0o755)
            lock = try FeedLocks.take(try feeds ?? FeedLocks.allFeeds(desired, storage: storage), in: storage)
        } catch let error as DiagnosticsError {
            throw Terminal.fail(error)
        } catch {
            throw Terminal.fail("\(error)")
        }
        defer { withExtendedLifetime(lock) {} }
        var client: KsqlDBClient?
        if !offline {
            do { client = KsqlDBClient(configuration: try desired.config.ksqldb.clientConfiguration()) } catch {
                throw Terminal.fail("\(config.configPath): \(error)")
            }
        }
        do {
            try await body(desired: desired, client: client, makePlan: makePlan)
        } catch {
            try? await client?.shutdown()
            throw error
        }
        try? await client?.shutdown()
    }

    private func body(desired: DesiredState, client: KsqlDBClient?,
                      makePlan: (PlanSession, KsqlDBClient?) async throws -> Plan) async throws {
        let signals = SignalStop.install()
        let plan: Plan
        let session: PlanSession
        do {
            session = try PlanSession.load(desired: desired)
            plan = try await makePlan(session, client)
        } catch let error as DiagnosticsError {
            throw Terminal.fail(error)
        } catch {
            throw Terminal.fail("\(error)")
        }
        let renderer = ApplyJSONRenderer()
        if json {
            print(renderer.plan(plan, offline: offline))
        } else {
            print(TextPlanRenderer(color: !noColor && Terminal.colorStdout).render(plan), terminator: "")
            if offline { print("--offline: ksqlDB is not contacted; exports and snapshots are skipped.") }
        }
        guard plan.hasWork else {
            if json { print(renderer.summary(ApplySummary(plan: plan, results: [], stopReason: nil, log: nil))) }
            return
        }
        if confirm && plan.hasChanges && signals.request.reason == nil {
            print("\nDo you want to perform these actions?\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: ", terminator: "")
            guard signals.exitingAtOnce({ readLine() })?.trimmingCharacters(in: .whitespaces) == "yes" else {
                throw Terminal.fail("apply cancelled: nothing was changed")
            }
        }
        if !json { print("") }
        let settings = client.map { ExportSettings(client: $0, parquet: desired.config.parquet) }
        let meter = ProgressMeter.forStandardError(total: plan.actions.count)
        var applier = Applier(storage: session.storage, exports: settings, stop: signals.request)
        applier.maxParallelFeeds = desired.config.maxParallelFeeds
        // In a task of its own, so that a stop can cancel a query waiting on a silent ksqlDB.
        let running = Task { [json] in
            try await applier.apply(plan) { event in
                meter.handle(event)
                if case let .finished(result, line) = event { print(json ? renderer.action(result) : "  \(line)") }
            }
        }
        signals.request.onRequest { running.cancel() }
        let (results, log) = try await running.value
        let summary = ApplySummary(plan: plan, results: results, stopReason: signals.request.reason, log: log)
        print(json ? renderer.summary(summary) : "\n" + summary.text)
        printErrors(summary.failures)
        switch summary.status {
        case .interrupted: throw ExitCode(SignalStop.exitCode(summary.reason!))
        case .failed: throw ExitCode.failure
        case .complete: break
        }
    }

    private func printErrors(_ failures: [ActionResult]) {
        for failed in failures { Terminal.printError("error: \(failed.action.kind.rawValue) \(failed.action.feed): \(failed.error!)") }
    }
}
