import Foundation
import Testing
@testable import DataLake
import DataLakeTestSupport
@testable import KsqlDBClient
@testable import LakeStorage

/// Apply executes exactly the plan: across a sequence of saved-plan applies (exports, snapshots that
/// push versions out, a snapshot that makes none, expiry, pruning, modes, clean-up of an interrupted
/// export), every path that disappears and every mode that changes is one the saved plan listed.
@Suite(.serialized) struct SavedPlanTests {
    static let t1 = LakeFixture.date("2025-01-16T00:00:00Z")

    static func feeds(retention: Int = 365, keep: Int = 2, access: String = "internal") -> [String: String] {
        ["s.yaml": "feed_name: tx\nfeed_type: stream\nksqldb_source: transaction_stream\nretention_days: \(retention)\naccess: \(access)\n",
         "t.yaml": "feed_name: users\nfeed_type: table\nksqldb_source: user_transaction_summary\nversions_to_keep: \(keep)\naccess: \(access)\n"]
    }

    /// Every path of the lake with its mode.
    static func listing(_ root: String) throws -> [String: UInt16] {
        var out: [String: UInt16] = [:]
        for e in try LocalLakeStorage(root: root).list(under: .root) { out[e.path.value] = e.mode ?? 0 }
        return out
    }

    /// Plans at `now`, saves the plan as JSON, loads it back as `apply PLANFILE` does, applies it, and
    /// checks what disappeared and what changed mode against what it lists.
    @discardableResult
    static func savedApply(_ lake: LakeFixture, at now: Date) async throws -> Plan {
        let session = try PlanSession.load(configPath: lake.config)
        let client = KsqlDBClient(configuration: try session.desired.config.ksqldb.clientConfiguration())
        let plan: Plan
        let results: [ActionResult]
        let root = session.desired.config.root
        let before: [String: UInt16]
        do {
            let sources = try await SourceRefresher(client: client).refresh(session.desired.feeds.map(\.spec))
            let made = try session.plan(at: now, sources: sources, includeExports: true)
            let file = lake.dir.write("plan.json", JSONPlanRenderer().render(made))
            plan = try PlanSession.load(configPath: lake.config).savedPlan(file, now: now)
            before = try listing(root)
            (results, _) = try await Applier(storage: session.storage, clock: Clock { now },
                                             exports: ExportSettings(client: client, parquet: session.desired.config.parquet)).apply(plan) { _ in }
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
        #expect(results.allSatisfy { $0.error == nil }, "\(results.compactMap(\.error))")
        let after = try listing(root)

        let storage = LocalLakeStorage(root: root)
        var deletable: [String] = []
        var chmodded: Set<String> = []
        for action in plan.actions {
            switch action.kind {
            case .chmod: chmodded.formUnion(action.paths.map(\.path))
            case .export, .cleanup, .prune, .expire: deletable += action.paths.map(\.path)
            default: break
            }
            // Publishing a committed file takes its staged copy away.
            deletable += try action.publish.map { try storage.stagedPath(of: LakePath($0.path)).value }
        }
        for gone in Set(before.keys).subtracting(after.keys).sorted() {
            let listed = deletable.contains { gone == $0 || gone.hasPrefix($0 + "/") }
            #expect(listed, "\(gone) disappeared but the plan did not list it")
        }
        for (path, mode) in before where after[path] != nil && after[path] != mode {
            #expect(chmodded.contains(path), "\(path) changed mode but the plan did not list it")
        }
        return plan
    }

    static func row(_ id: String, at ms: Int64, amount: String) -> String {
        "INSERT INTO transaction_stream (ROWTIME, TRANSACTION_ID, USER_ID, AMOUNT, CURRENCY) VALUES (\(ms), '\(id)', 'user_0001', \(amount), 'EUR');"
    }

    @Test func everyDeletionAndModeChangeIsListedInTheSavedPlan() async throws {
        let lake = try await LakeFixture(rows: 100, feeds: Self.feeds())
        var now = Self.t1
        func ms(_ d: Date) -> Int64 { Int64(d.timeIntervalSince1970 * 1000) }

        try await Self.savedApply(lake, at: now)
        #expect(try lake.metadata("tables/users").versions.map(\.number) == [1])

        // A new row: a second version; at two versions, the plan already shows v1's prune, to run
        // only when a third one is made.
        try lake.insert(Self.row("n1", at: ms(now) - 1000, amount: "11.00"))
        now += 60
        try await Self.savedApply(lake, at: now)
        try lake.insert(Self.row("n2", at: ms(now) - 1000, amount: "12.00"))
        now += 60
        let third = try await Self.savedApply(lake, at: now)
        let conditional = try #require(third.actions.first { $0.kind == .prune })
        #expect(conditional.condition == .newVersion && conditional.paths.map(\.path) == ["tables/users/version=v1"])
        #expect(try lake.metadata("tables/users").versions.map(\.number) == [2, 3])
        #expect(!lake.dir.exists("data_lake/tables/users/version=v1"))

        // Nothing new: the listed conditional prune of v2 does not run.
        now += 60
        let idle = try await Self.savedApply(lake, at: now)
        #expect(idle.actions.contains { $0.kind == .prune && $0.condition == .newVersion })
        #expect(lake.dir.exists("data_lake/tables/users/version=v2"))

        // An interrupted export's leftovers, a shorter retention, fewer versions, a stricter access.
        lake.dir.write("data_lake/streams/tx/year=2025/month=01/day=15/.data_x.parquet.tmp", "PAR1 half")
        lake.dir.write("data_lake/streams/tx/_overlap_19700101_000000_0.bin", "")
        for (name, text) in Self.feeds(retention: 1, keep: 1, access: "restricted") { lake.dir.write("feeds.d/\(name)", text) }
        now += 60
        let last = try await Self.savedApply(lake, at: now)
        #expect(Set(last.actions.map(\.kind)).isSuperset(of: [.update, .cleanup, .prune, .expire, .chmod]))
        let meta = try lake.metadata("streams/tx")
        #expect(meta.partitions.allSatisfy { $0 >= "year=2025/month=01/day=15" })
        #expect(!lake.dir.exists("data_lake/streams/tx/year=2025/month=01/day=13"))
        #expect(try lake.metadata("tables/users").versions.count == 1)
        await lake.stop()
    }
}
