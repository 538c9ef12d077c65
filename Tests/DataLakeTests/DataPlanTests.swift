import Foundation
import Testing
@testable import DataLake
import DataLakeTestSupport
@testable import KsqlDBClient
@testable import KsqlParquet
@testable import LakeStorage

/// Data actions planned from the lake's state without ksqlDB: refresh results are given as values.
@Suite struct DataPlanTests {
    static let now = LakeFixture.date("2025-06-01T00:00:00Z")

    func lake(_ dir: TempDirectory, metadata: FeedMetadata, feed: String = "s", type: FeedType = .stream) throws -> LakeState {
        let root = dir.url("data_lake/\(type == .stream ? "streams" : "tables")/\(feed)")
        try LocalFiles.makeDirectories(root)
        try LocalFiles.writeAtomically(root + "/_metadata.json", metadata.json.rendered())
        return try LakeState.load(LocalLakeStorage(root: dir.url("data_lake")), feeds: [(feed, type)])
    }

    @Test func missingSourceIsAPlanErrorAtTheFeedsFileAndLine() throws {
        let dir = TempDirectory()
        let config = dir.makeProject(feeds: ["s.yaml": "# stream\n" + streamFeed("s")])
        let desired = try DesiredStateLoader.load(configPath: config)
        let registry = try Registry.load(LocalLakeStorage(root: desired.config.root), defaults: desired.config.defaults)
        let planner = Planner(desired: desired, registry: registry, lake: LakeState(feeds: ["s": .init(scan: FeedDirectoryScan(root: try LakePath("streams/s"), exists: false), metadata: nil)]),
                              sources: [:])
        #expect(throws: DiagnosticsError.self) { try planner.plan(at: Self.now) }
        do throws(DiagnosticsError) { _ = try planner.plan(at: Self.now) } catch {
            #expect(error.diagnostics.map(\.description) == ["\(dir.url("feeds.d/s.yaml")):2:1: error: ksqlDB has no stream or table named S (feed \"s\")"])
        }
    }

    @Test func schemaChangesAreShownAndRefusedByPolicy() throws {
        let dir = TempDirectory()
        var meta = FeedMetadata(source: "S", type: .stream)
        meta.schema = [.init(name: "ROWTIME", type: "BIGINT"), .init(name: "ID", type: "STRING"), .init(name: "AMOUNT", type: "DECIMAL(10, 2)")]
        meta.watermark = 1_000_000
        for (policy, columns, expected) in [
            ("additive", [KsqlField(name: "ID", type: .string), KsqlField(name: "AMOUNT", type: .decimal(precision: 10, scale: 2)), KsqlField(name: "CITY", type: .string)],
             Result<[FieldChange], DataLakeError>.success([FieldChange(field: "column CITY", before: "(absent)", after: "STRING")])),
            ("additive", [KsqlField(name: "ID", type: .string)],
             .failure(DataLakeError("feed \"s\": the source's schema changed (AMOUNT was removed) and schema_policy additive refuses it; export it to a new feed, or archive and re-create this one"))),
            ("additive", [KsqlField(name: "ID", type: .bigint), KsqlField(name: "AMOUNT", type: .decimal(precision: 10, scale: 2))],
             .failure(DataLakeError("feed \"s\": the source's schema changed (ID changed type from STRING to BIGINT) and schema_policy additive refuses it; export it to a new feed, or archive and re-create this one"))),
            ("strict", [KsqlField(name: "ID", type: .string), KsqlField(name: "AMOUNT", type: .decimal(precision: 10, scale: 2)), KsqlField(name: "CITY", type: .string)],
             .failure(DataLakeError("feed \"s\": the source's schema changed (CITY was added) and schema_policy strict refuses it; export it to a new feed, or archive and re-create this one"))),
        ] {
            let config = dir.makeProject(feeds: ["s.yaml": streamFeed("s", extra: "schema_policy: \(policy)\n")])
            let desired = try DesiredStateLoader.load(configPath: config)
            let registry = try Registry.load(LocalLakeStorage(root: desired.config.root), defaults: desired.config.defaults)
            let planner = Planner(desired: desired, registry: registry, lake: try lake(dir, metadata: meta), sources: ["s": columns])
            switch expected {
            case let .success(changes):
                let plan = try planner.plan(at: Self.now)
                let export = try #require(plan.actions.first { $0.kind == .export })
                #expect(export.changes == changes)
                #expect(export.window?.from == 1_000_000 - 3_600_000)
                #expect(TextPlanRenderer(color: false).render(plan).contains("      column CITY: (absent) → STRING\n"))
            case let .failure(refusal):
                let message = refusal.description
                #expect(Self.errors(planner) == [message])
            }
        }
    }

    /// The planner's error messages (empty when it plans).
    static func errors(_ planner: Planner) -> [String] {
        do {
            _ = try planner.plan(at: now)
            return []
        } catch {
            return error.diagnostics.map(\.message)
        }
    }

    @Test func pruneWhenVersionsToKeepShrinksAndChmodWhenModesDrift() async throws {
        let dir = TempDirectory()
        let config = dir.makeProject(feeds: ["t.yaml": tableFeed("t", extra: "versions_to_keep: 2\naccess: restricted\n")])
        var meta = FeedMetadata(source: "T", type: .table)
        for n in 1...4 {
            let path = "version=v\(n)/snapshot_2025010\(n)_000000.parquet"
            dir.write("data_lake/tables/t/\(path)", "PAR1 v\(n)")
            let file = FeedMetadata.DataFile(path: path, rows: n, bytes: 7, exportedAt: "2025-01-0\(n)T00:00:00Z")
            meta.files.append(file)
            meta.versions.append(.init(number: n, file: file, contentHash: "h\(n)"))
        }
        let state = try lake(dir, metadata: meta, feed: "t", type: .table)
        let desired = try DesiredStateLoader.load(configPath: config)
        let registry = try Registry.load(LocalLakeStorage(root: desired.config.root), defaults: desired.config.defaults)
        var planner = Planner(desired: desired, registry: registry, lake: state)
        planner.includeExports = false
        let plan = try planner.plan(at: Self.now)
        #expect(plan.actions.map(\.kind) == [.register, .prune, .chmod])
        #expect(plan.actions[1].paths == [PlanPath(path: "tables/t/version=v1", bytes: 7), PlanPath(path: "tables/t/version=v2", bytes: 7)])
        #expect(plan.actions[2].paths.contains(PlanPath(path: "tables/t/version=v3/snapshot_20250103_000000.parquet", bytes: 0)))
        let (results, _) = try await Applier(storage: LocalLakeStorage(root: desired.config.root)).apply(plan) { _ in }
        #expect(results.allSatisfy { $0.error == nil })
        #expect(!dir.exists("data_lake/tables/t/version=v1") && dir.exists("data_lake/tables/t/version=v3"))
        #expect(try FeedMetadata.parse(LocalFiles.read(dir.url("data_lake/tables/t/_metadata.json"))!, path: "m").versions.map(\.number) == [3, 4])
        #expect(LocalFiles.kind(dir.url("data_lake/tables/t/version=v4/snapshot_20250104_000000.parquet"))?.mode == 0o640)
        #expect(LocalFiles.kind(dir.url("data_lake/tables/t/version=v4"))?.mode == 0o750)
        let again = try Planner(desired: desired, registry: try Registry.load(LocalLakeStorage(root: desired.config.root), defaults: desired.config.defaults),
                                lake: try LakeState.load(LocalLakeStorage(root: desired.config.root), feeds: [("t", .table)])).plan(at: Self.now)
        // The next snapshot, if it makes a version, pushes v3 out: the plan says so before it happens.
        #expect(again.actions.map(\.kind) == [.snapshot, .prune])
        #expect(again.actions[1].condition == .newVersion && again.actions[1].paths.map(\.path) == ["tables/t/version=v3"])
    }

    @Test func leftoversOfAnInterruptedExportAreCleanedAndCommittedOnesFinished() async throws {
        let dir = TempDirectory()
        let config = dir.makeProject(feeds: ["s.yaml": streamFeed("s")])
        var meta = FeedMetadata(source: "S", type: .stream)
        let committed = "year=2025/month=01/day=02/data_20250102_000000.parquet"
        meta.files = [.init(path: committed, rows: 1, bytes: 4, exportedAt: "x")]
        meta.pending = [committed]
        dir.write("data_lake/streams/s/year=2025/month=01/day=02/.data_20250102_000000.parquet.tmp", "PAR1")
        dir.write("data_lake/streams/s/year=2025/month=01/day=03/.data_20250103_000000.parquet.tmp", "PAR1 half")
        dir.write("data_lake/streams/s/_overlap_20250103_000000.bin", "")
        let state = try lake(dir, metadata: meta)
        let desired = try DesiredStateLoader.load(configPath: config)
        let registry = try Registry.load(LocalLakeStorage(root: desired.config.root), defaults: desired.config.defaults)
        var planner = Planner(desired: desired, registry: registry, lake: state)
        planner.includeExports = false
        let plan = try planner.plan(at: Self.now)
        let cleanup = try #require(plan.actions.first { $0.kind == .cleanup })
        #expect(Set(cleanup.paths.map(\.path)) == ["streams/s/year=2025/month=01/day=03/.data_20250103_000000.parquet.tmp", "streams/s/_overlap_20250103_000000.bin"])
        #expect(cleanup.reason == "finish 1 committed file of an interrupted export")
        #expect(cleanup.publish.map(\.path) == ["streams/s/\(committed)"])
        _ = try await Applier(storage: LocalLakeStorage(root: desired.config.root)).apply(plan) { _ in }
        #expect(dir.read("data_lake/streams/s/\(committed)") == "PAR1")
        #expect(!dir.exists("data_lake/streams/s/year=2025/month=01/day=03/.data_20250103_000000.parquet.tmp"))
        #expect(!dir.exists("data_lake/streams/s/_overlap_20250103_000000.bin"))
        #expect(try FeedMetadata.parse(LocalFiles.read(dir.url("data_lake/streams/s/_metadata.json"))!, path: "m").pending.isEmpty)
    }
}
