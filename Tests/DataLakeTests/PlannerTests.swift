import Foundation
import Testing
@testable import DataLake
import DataLakeTestSupport
@testable import KsqlDBClient
@testable import KsqlParquet
@testable import LakeStorage

@Suite struct PlannerTests {
    @Test func firstPlanRegistersEveryFeedAndSecondHasNoChanges() async throws {
        let dir = TempDirectory()
        let config = dir.makeProject(feeds: ["s.yaml": streamFeed("s"), "t.yaml": tableFeed("t", extra: "enabled: false\n")])
        let (plan, _) = try makePlan(config)
        #expect(plan.actions.map { "\($0.kind.rawValue) \($0.feed)" } == ["register s", "register t"])
        #expect(plan.summary == "Plan: 2 to register.")
        try await planAndApply(config)
        let (again, _) = try makePlan(config)
        #expect(again.actions.isEmpty)
        #expect(again.summary == "No changes. The lake matches the configuration.")
    }

    @Test func updateShowsEachChangedFieldAndStateChangesComeAfter() async throws {
        let dir = TempDirectory()
        let config = dir.makeProject(feeds: ["a.yaml": streamFeed("a"), "b.yaml": tableFeed("b"), "c.yaml": streamFeed("c")])
        try await planAndApply(config)
        dir.write("feeds.d/a.yaml", streamFeed("a", extra: "enabled: false\n"))
        dir.write("feeds.d/b.yaml", tableFeed("b", extra: "versions_to_keep: 3\naccess: restricted\n"))
        dir.write("feeds.d/c.yaml", streamFeed("c", extra: "retention_days: 30\nenabled: false\n"))
        let (plan, _) = try makePlan(config)
        #expect(plan.actions.map { "\($0.kind.rawValue) \($0.feed)" } == ["update b", "update c", "disable a", "disable c"])
        #expect(plan.actions[0].changes == [
            FieldChange(field: "versions_to_keep", before: "7", after: "3"),
            FieldChange(field: "access", before: "internal", after: "restricted"),
        ])
        #expect(plan.actions[1].changes == [FieldChange(field: "retention_days", before: "365", after: "30")])
        try await planAndApply(config)
        #expect(try makePlan(config).0.actions.isEmpty)
        // The new access level is a planned chmod (apply changes no mode the plan did not list);
        // once applied, the restricted table's directory has mode 0750.
        #expect(LocalFiles.kind(dir.url("data_lake/tables/b"))?.mode == 0o755)
        let session = try PlanSession.load(configPath: config)
        let maintenance = try session.plan(at: Date(), includeExports: false)
        #expect(maintenance.actions.map { "\($0.kind.rawValue) \($0.feed)" } == ["chmod b"])
        #expect(maintenance.actions[0].paths.map(\.path) == ["tables/b"])
        _ = try await Applier(storage: session.storage).apply(maintenance) { _ in }
        #expect(LocalFiles.kind(dir.url("data_lake/tables/b"))?.mode == 0o750)
    }

    @Test func deletedFileArchivesAndNeverDeletesData() async throws {
        let dir = TempDirectory()
        let config = dir.makeProject(feeds: ["a.yaml": streamFeed("a"), "b.yaml": streamFeed("b")])
        try await planAndApply(config)
        dir.write("data_lake/streams/a/year=2025/month=01/day=15/data_20250115_120000.parquet", "PAR1 data")
        try FileManager.default.removeItem(atPath: dir.url("feeds.d/a.yaml"))
        let (plan, _) = try makePlan(config)
        #expect(plan.actions.map { "\($0.kind.rawValue) \($0.feed)" } == ["archive a"])
        #expect(plan.actions[0].reason == "no feed file declares it")
        try await planAndApply(config)
        #expect(!dir.exists("data_lake/feeds/active/a.json"))
        #expect(dir.exists("data_lake/feeds/archived/a.json"))
        #expect(dir.read("data_lake/streams/a/year=2025/month=01/day=15/data_20250115_120000.parquet") == "PAR1 data")
        #expect(try makePlan(config).0.actions.isEmpty)
        // It reappears: restore.
        dir.write("feeds.d/a.yaml", streamFeed("a", extra: "retention_days: 10\n"))
        let (restore, _) = try makePlan(config)
        #expect(restore.actions.map { "\($0.kind.rawValue) \($0.feed)" } == ["restore a"])
        #expect(restore.actions[0].changes == [FieldChange(field: "retention_days", before: "365", after: "10")])
        try await planAndApply(config)
        #expect(dir.exists("data_lake/feeds/active/a.json") && !dir.exists("data_lake/feeds/archived/a.json"))
        #expect(try makePlan(config).0.actions.isEmpty)
    }

    @Test func markedArchivedArchivesAndProtectedFeedsRefuse() async throws {
        let dir = TempDirectory()
        let config = dir.makeProject(feeds: ["a.yaml": streamFeed("a", extra: "protect: true\n"), "b.yaml": streamFeed("b")])
        try await planAndApply(config)
        dir.write("feeds.d/a.yaml", streamFeed("a", extra: "protect: true\narchived: true\n"))
        dir.write("feeds.d/b.yaml", streamFeed("b", extra: "archived: true\n"))
        #expect(throws: DiagnosticsError.self) { try makePlan(config) }
        do { _ = try makePlan(config) } catch let e as DiagnosticsError {
            #expect(e.diagnostics.map(\.description) == [
                "\(dir.url("feeds.d/a.yaml")):6:1: error: feed \"a\" is protected and cannot be archived: set `protect: false`, apply, then archive it",
            ])
        }
        // A protected feed whose file is deleted is refused too: the registry remembers the flag.
        try FileManager.default.removeItem(atPath: dir.url("feeds.d/a.yaml"))
        do {
            _ = try makePlan(config)
            Issue.record("expected a protection error")
        } catch let e as DiagnosticsError {
            #expect(e.diagnostics.first?.message.hasPrefix("feed \"a\" is protected and cannot be archived") == true)
        }
        // --target b plans b alone, past a's error.
        let (only, _) = try makePlan(config, targets: ["b"])
        #expect(only.actions.map { "\($0.kind.rawValue) \($0.feed)" } == ["archive b"])
    }

    @Test func changingFeedTypeIsRefused() async throws {
        let dir = TempDirectory()
        let config = dir.makeProject(feeds: ["a.yaml": streamFeed("a")])
        try await planAndApply(config)
        dir.write("feeds.d/a.yaml", tableFeed("a"))
        #expect(throws: DiagnosticsError.self) { try makePlan(config) }
    }

    @Test func handEditedRegistryRecordIsRewritten() async throws {
        let dir = TempDirectory()
        let config = dir.makeProject(feeds: ["a.yaml": streamFeed("a")])
        try await planAndApply(config)
        let path = "data_lake/feeds/active/a.json"
        dir.write(path, dir.read(path)!.replacingOccurrences(of: "\"retention_days\": 365", with: "\"retention_days\": 5"))
        let (plan, _) = try makePlan(config)
        #expect(plan.warnings.count == 1)
        #expect(plan.actions.first?.changes == [FieldChange(field: "retention_days", before: "5", after: "365")])
    }
}
