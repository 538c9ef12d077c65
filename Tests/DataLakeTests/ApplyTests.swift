import Foundation
import Testing
@testable import DataLake
import DataLakeTestSupport
@testable import KsqlDBClient
@testable import KsqlParquet
@testable import LakeStorage

@Suite struct ApplyTests {
    @Test func secondApplyChangesNoByteOnDisk() async throws {
        let dir = TempDirectory()
        let config = dir.makeProject(feeds: ["s.yaml": streamFeed("s"), "t.yaml": tableFeed("t", extra: "access: restricted\n")])
        try await planAndApply(config)
        let before = dir.snapshot()
        usleep(20_000)
        let plan = try await planAndApplyIfChanges(config)
        #expect(plan.actions.isEmpty)
        #expect(dir.snapshot() == before)
    }

    /// What the CLI does: nothing at all (not even a log) when the plan is empty.
    func planAndApplyIfChanges(_ config: String) async throws -> Plan {
        let (plan, desired) = try makePlan(config)
        if plan.hasChanges { _ = try await Applier(storage: LocalLakeStorage(root: desired.config.root)).apply(plan) { _ in } }
        return plan
    }

    @Test func registerWritesTheSeedRecordFormatWithModes() async throws {
        let dir = TempDirectory()
        let config = dir.makeProject(feeds: ["s.yaml": streamFeed("s", extra: "access: restricted\n")])
        let fixed = Clock { Date(timeIntervalSince1970: 1_736_935_200) } // 2025-01-15T10:00:00Z
        let (plan, desired) = try makePlan(config)
        _ = try await Applier(storage: LocalLakeStorage(root: desired.config.root), clock: fixed).apply(plan) { _ in }
        let record = try #require(dir.read("data_lake/feeds/active/s.json"))
        #expect(record.hasPrefix("""
            {
              "feed_name": "s",
              "feed_type": "stream",
              "ksqldb_source": "S",
              "description": "test stream",
              "partitioning": {
                "type": "date",
                "columns": [
                  "year",
                  "month",
                  "day"
                ]
              },
              "storage_mode": "append",
              "format": "parquet",
              "retention_days": 365,
              "enabled": true,
              "created_at": "2025-01-15T10:00:00Z",
              "access": "restricted",
              "timestamp_column": "ROWTIME",
              "lateness_minutes": 60,
              "schema_policy": "additive",
              "protect": false,
              "spec_hash": "sha256:
            """))
        #expect(LocalFiles.kind(dir.url("data_lake/streams/s"))?.mode == 0o750)
        #expect(dir.exists("data_lake/logs/apply_20250115_100000.log"))
        let log = try #require(dir.read("data_lake/logs/apply_20250115_100000.log"))
        #expect(log.contains("register stream s: ok"))
        #expect(log.contains("apply finished: 1 of 1 action done"))
    }

    @Test func lockRefusesASecondApplyAndIsReleasedWhenTheHolderIsKilled() async throws {
        let dir = TempDirectory()
        let lockPath = dir.write("lake.lock", "pid 4242 since 2026-01-01T00:00:00Z\n")
        // A second process holds the lock through flock(2), as a running apply would.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        holder.arguments = ["python3", "-c", "import fcntl, sys, time; f = open(sys.argv[1], 'a'); fcntl.flock(f, fcntl.LOCK_EX); time.sleep(30)", lockPath]
        try holder.run()
        defer { if holder.isRunning { holder.terminate() } }
        var held = false
        for _ in 0..<100 where !held {
            do { _ = try LocalLakeStorage(root: dir.url("")).lock(LakePath("lake.lock")); usleep(20_000) } catch { held = true
                #expect((error as? StorageError)?.reason.hasPrefix("another datalake apply holds its lock (pid \(holder.processIdentifier) since ") == true)
            }
        }
        #expect(held, "the second process never took the lock")
        kill(holder.processIdentifier, SIGKILL)
        holder.waitUntilExit()
        #expect(throws: Never.self) { _ = try LocalLakeStorage(root: dir.url("")).lock(LakePath("lake.lock")) }
    }

    @Test func feedEditorFlipsKeysInYAMLAndSeedJSONKeepingComments() async throws {
        let dir = TempDirectory()
        let config = dir.makeProject(feeds: [
            "s.yaml": "# keep me\n" + streamFeed("s", extra: "enabled: true # inline\n"),
            "n.json": FeedSpecTests.seedJSON,
            "l.yaml": "- feed_name: l\n  feed_type: stream\n  ksqldb_source: L\n",
        ])
        var desired = try DesiredStateLoader.load(configPath: config)
        _ = try FeedFileEditor.set("enabled", to: false, in: desired.feed(named: "s")!)
        #expect(dir.read("feeds.d/s.yaml")!.contains("# keep me\n"))
        #expect(dir.read("feeds.d/s.yaml")!.contains("enabled: false # inline\n"))
        _ = try FeedFileEditor.set("archived", to: true, in: desired.feed(named: "new_stream")!)
        _ = try FeedFileEditor.set("archived", to: true, in: desired.feed(named: "l")!)
        #expect(dir.read("feeds.d/l.yaml") == "- feed_name: l\n  archived: true\n  feed_type: stream\n  ksqldb_source: L\n")
        desired = try DesiredStateLoader.load(configPath: config)
        #expect(desired.feed(named: "s")?.spec.enabled == false)
        #expect(desired.feed(named: "new_stream")?.spec.archived == true)
        #expect(desired.feed(named: "l")?.spec.archived == true)
    }

    @Test func initIsHarmlessToRepeat() async throws {
        let dir = TempDirectory()
        let created = try LakeInitializer(configPath: dir.url("lake.yaml")).run()
        #expect(created.count == 1 + 1 + DefaultConfig.feedFiles.count + (LakeLayout.directories.count + 1))
        let before = dir.snapshot()
        #expect(try LakeInitializer(configPath: dir.url("lake.yaml")).run().isEmpty)
        #expect(dir.snapshot() == before)
        #expect(try DesiredStateLoader.load(configPath: dir.url("lake.yaml")).feeds.count == 8)
    }

    @Test func feedAdderWritesAValidFileAndRefusesContradictions() async throws {
        let dir = TempDirectory()
        let config = dir.makeProject(feeds: ["s.yaml": streamFeed("s")])
        let desired = try DesiredStateLoader.load(configPath: config)
        let path = try FeedAdder(desired: desired).add(name: "payment_stream", type: "stream", source: "payment_stream",
                                                       description: "Stream des paiements", partitioning: nil, storageMode: nil,
                                                       retentionDays: 90, versionsToKeep: nil)
        #expect(path == dir.url("feeds.d/payment_stream.yaml"))
        let added = try DesiredStateLoader.load(configPath: config).feed(named: "payment_stream")
        #expect(added?.spec.retentionDays == 90 && added?.spec.description == "Stream des paiements")
        #expect(throws: DiagnosticsError.self) {
            try FeedAdder(desired: desired).add(name: "x", type: "stream", source: "X", description: "", partitioning: nil,
                                                storageMode: "overwrite", retentionDays: nil, versionsToKeep: nil)
        }
        #expect(!dir.exists("feeds.d/x.yaml"))
        #expect(throws: DiagnosticsError.self) {
            try FeedAdder(desired: desired).add(name: "s", type: "stream", source: "S", description: "", partitioning: nil,
                                                storageMode: nil, retentionDays: nil, versionsToKeep: nil)
        }
    }
}
