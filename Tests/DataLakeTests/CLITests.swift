import Foundation
import Testing
@testable import DataLake
import DataLakeTestSupport
@testable import KsqlDBClient
@testable import KsqlParquet
@testable import LakeStorage
@testable import KsqlDBEmulator

/// Runs the real `datalake` binary, as a user would.
struct CLI {
    static var binary: String {
        if let env = ProcessInfo.processInfo.environment["DATALAKE_BIN"] { return env }
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0])
        var dir = testBinary.deletingLastPathComponent()
        // swift test runs .build/<triple>/debug/<pkg>PackageTests.xctest
        while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("datalake").path), dir.path != "/" {
            dir = dir.deletingLastPathComponent()
        }
        return dir.appendingPathComponent("datalake").path
    }

    let directory: String

    /// Runs the binary on a thread of its own (`offPool`), so the wait never holds a test thread.
    @discardableResult
    func run(_ args: String..., env: [String: String] = [:]) async throws -> (status: Int32, out: String, err: String) {
        let arguments = args
        return try await offPool { try self.runBlocking(arguments, env: env) }
    }

    func runBlocking(_ args: [String], env: [String: String]) throws -> (status: Int32, out: String, err: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.binary)
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: directory)
        p.environment = ProcessInfo.processInfo.environment.merging(env) { $1 }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }
}

@Suite(.serialized) struct CLITests {
    static let routine = "No changes. The lake matches the configuration. Data: 4 to export, 4 to snapshot.\n"

    /// `datalake init` in a temp dir, pointed at an in-process demo emulator.
    static func project(_ body: (TempDirectory, CLI) async throws -> Void) async throws {
        let emulator = KsqlDBEmulator(configuration: EmulatorConfiguration(dataset: .demo(seed: 3, startDate: nil, days: 2, rowsPerStream: 50)))
        let port = try await emulator.start()
        let dir = TempDirectory()
        let cli = CLI(directory: dir.path)
        _ = try await cli.run("init")
        dir.write("lake.yaml", dir.read("lake.yaml")!.replacingOccurrences(of: "127.0.0.1:8088", with: "127.0.0.1:\(port)"))
        do { try await body(dir, cli) } catch {
            try? await emulator.stop()
            throw error
        }
        try await emulator.stop()
    }

    @Test func editPlanApplyPlanShowsDiffThenNoChanges() async throws { try await Self.project { dir, cli in
        #expect(try await cli.run("apply").status == 0)
        var r = try await cli.run("plan", "--detailed-exitcode")
        #expect(r.status == 0 && r.out.hasSuffix(Self.routine))

        dir.write("feeds.d/payment_method_totals.yaml", dir.read("feeds.d/payment_method_totals.yaml")!
            .replacingOccurrences(of: "versions_to_keep: 7", with: "versions_to_keep: 3"))
        r = try await cli.run("plan", "--detailed-exitcode")
        #expect(r.status == 2)
        #expect(r.out.contains("  ~ update table payment_method_totals\n      versions_to_keep: 7 → 3\n"))
        #expect(r.out.hasSuffix("Plan: 1 to update. Data: 4 to export, 4 to snapshot.\n"))
        r = try await cli.run("apply")
        #expect(r.status == 0 && r.out.contains("Apply complete: 9 actions done, 1 changed the lake."))
        r = try await cli.run("plan", "--detailed-exitcode")
        #expect(r.status == 0 && r.out.hasSuffix(Self.routine))
        // The unchanged tables' directories gained and lost the staged versions they were read into: their times alone moved.
        let tables = Set(try FileManager.default.contentsOfDirectory(atPath: dir.url("data_lake/tables")).map { "data_lake/tables/\($0)" })
        let before = dir.snapshot(exceptTimesOf: tables)
        r = try await cli.run("apply")
        #expect(r.status == 0 && r.out.contains("Apply complete: 8 actions done, 0 changed the lake."))
        #expect(dir.snapshot(exceptTimesOf: tables) == before)
    } }

    @Test func savedPlanIsAppliedAndRefusedWhenStale() async throws { try await Self.project { dir, cli in
        #expect(try await cli.run("plan", "--out", "plan.json").status == 0)
        dir.write("feeds.d/extra.yaml", streamFeed("extra", extra: "ksqldb_source: transaction_flattened\n").replacingOccurrences(of: "ksqldb_source: EXTRA\n", with: ""))
        var r = try await cli.run("apply", "plan.json")
        #expect(r.status == 1)
        #expect(r.err == "plan.json: error: stale plan: the configuration changed since it was made; run `datalake plan` again\n")
        #expect(!dir.exists("data_lake/feeds/active/extra.json") && !dir.exists("data_lake/feeds/active/transaction_stream.json"))
        try await cli.run("plan", "--out", "plan.json")
        r = try await cli.run("apply", "plan.json")
        #expect(r.status == 0)
        #expect(dir.exists("data_lake/feeds/active/extra.json"))
        // The registry changed since: the same file is stale now.
        #expect(try await cli.run("apply", "plan.json").status == 1)
    } }

    @Test func validateReportsEveryErrorAndGithubAnnotations() async throws {
        let dir = TempDirectory()
        let cli = CLI(directory: dir.path)
        try await cli.run("init")
        dir.write("feeds.d/bad.yaml", "feed_name: bad\nfeed_type: stream\nksqldb_source: B\nretension_days: 1\n")
        var r = try await cli.run("validate")
        #expect(r.status == 1)
        #expect(r.err == "feeds.d/bad.yaml:4:1: error: unknown key \"retension_days\" in feed (did you mean \"retention_days\"?)\n")
        r = try await cli.run("validate", "--format", "github")
        #expect(r.out == "::error file=feeds.d/bad.yaml,line=4,col=1::unknown key \"retension_days\" in feed (did you mean \"retention_days\"?)\n")
        #expect(try await cli.run("plan").status == 1)
    }

    @Test func feedsHelpersEditFilesNotTheRegistry() async throws { try await Self.project { dir, cli in
        try await cli.run("apply")
        let registry = dir.read("data_lake/feeds/active/transaction_flattened.json")
        var r = try await cli.run("feeds", "disable", "transaction_flattened")
        #expect(r.status == 0 && r.out.hasSuffix("run `datalake plan` to see the effect\n"))
        #expect(dir.read("data_lake/feeds/active/transaction_flattened.json") == registry)
        #expect(try await cli.run("plan").out.contains("- disable stream transaction_flattened"))
        r = try await cli.run("feeds", "add", "--name", "payment_stream", "--type", "stream", "--source", "payment_stream",
                        "--description", "Stream des paiements")
        #expect(r.status == 0)
        r = try await cli.run("feeds", "list")
        #expect(r.out.contains("payment_stream"))
        #expect(r.out.contains("(not yet)"))
        r = try await cli.run("feeds", "archive", "transaction_flatened")
        #expect(r.status == 1 && r.err.contains("did you mean \"transaction_flattened\"?"))
        r = try await cli.run("doctor")
        #expect(r.status == 0, "\(r.out)")
        #expect(r.out.contains("✓ libsnappy"))
        let schema = try JSONSerialization.jsonObject(with: Data(try await cli.run("schema").out.utf8)) as? [String: Any]
        #expect(schema?["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
    } }
}

/// `apply --offline`: lifecycle and maintenance while ksqlDB is down.
@Suite struct OfflineApplyTests {
    @Test func offlineApplyRegistersAndMaintainsWithoutKsqlDB() async throws {
        let dir = TempDirectory()
        let cli = CLI(directory: dir.path)
        _ = try await cli.run("init")
        // Port 9 (discard) on loopback: nothing answers there.
        dir.write("lake.yaml", dir.read("lake.yaml")!.replacingOccurrences(of: "127.0.0.1:8088", with: "127.0.0.1:9"))
        let online = try await cli.run("apply")
        #expect(online.status == 1)
        let r = try await cli.run("apply", "--offline")
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains("--offline: ksqlDB is not contacted; exports and snapshots are skipped."))
        #expect(r.out.contains("register stream transaction_stream: ok"))
        #expect(!r.out.contains("export stream"))
        #expect(dir.exists("data_lake/feeds/active/transaction_stream.json"))
    }

    @Test func aTargetThatIsNoFeedIsAnErrorWithTheClosestName() async throws {
        let dir = TempDirectory()
        let cli = CLI(directory: dir.path)
        _ = try await cli.run("init")
        for command in [["plan", "--offline"], ["apply", "--offline"]] {
            let r = try await cli.run(command[0], command[1], "--target", "transacton_stream")
            #expect(r.status == 1, "\(command): \(r.out)")
            #expect(r.err.contains("--target \"transacton_stream\" is not a feed of this lake (did you mean \"transaction_stream\"?)"), "\(r.err)")
            #expect(!r.out.contains("No changes"))
        }
        #expect(try await cli.run("plan", "--offline", "--target", "transaction_stream").status == 0)
    }

    @Test func forceUnlockOfALocalLakeExplainsTheFlock() async throws {
        let dir = TempDirectory()
        let cli = CLI(directory: dir.path)
        _ = try await cli.run("init")
        let r = try await cli.run("force-unlock")
        #expect(r.status == 1 && r.err.contains("flock(2), which the kernel releases"), "\(r.err)")
    }
}
