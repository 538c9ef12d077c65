import Foundation
import Testing
@testable import DataLake
import DataLakeTestSupport
@testable import KsqlDBClient
@testable import KsqlDBEmulator
@testable import LakeStorage
import Parquet

/// A table snapshot reads the table once: one `SELECT *` hashes the rows and writes them to the
/// hidden staged file; an unchanged table's staged file and version directory are dropped, leaving
/// the lake as it was; a failure or a stop mid-pass leaves no staged or partial file behind.
@Suite(.serialized) struct TableSnapshotTests {
    static let t1 = LakeFixture.date("2025-01-16T00:00:00Z")
    static let sql = "SELECT * FROM USER_TRANSACTION_SUMMARY;"

    static func feeds(_ extra: String = "") -> [String: String] {
        ["t.yaml": "feed_name: users\nfeed_type: table\nksqldb_source: user_transaction_summary\nversions_to_keep: 7\n" + extra]
    }

    /// The snapshot queries of the table the emulator ran since the last clear.
    static func tableQueries(_ lake: LakeFixture) -> Int {
        lake.emulator.queryLog.entries.filter { $0.sql.uppercased() == sql }.count
    }

    /// Changes the table: one more transaction for a user.
    static func change(_ lake: LakeFixture, _ id: String) throws {
        try lake.insert(ExportEndToEndTests.row(id, at: Int64(t1.timeIntervalSince1970 * 1000) - 1000))
    }

    /// The feed's directory and every path under it (mode, size, mtime, ctime), the directory's own
    /// times aside: a dropped version directory changes them, no byte.
    static func feedListing(_ lake: LakeFixture) -> [String: String] {
        lake.dir.snapshot(exceptTimesOf: ["data_lake/tables/users"]).filter { $0.key.hasPrefix("data_lake/tables/users") }
    }

    /// The feed's `version=vN` directories.
    static func versionDirectories(_ lake: LakeFixture) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: lake.dir.url("data_lake/tables/users")).filter { $0.hasPrefix("version=") }.sorted()
    }

    /// Staged (hidden) files under the feed.
    static func stagedFiles(_ lake: LakeFixture) -> [String] {
        lake.dir.snapshot().keys.filter { $0.hasPrefix("data_lake/tables/users/") && $0.hasSuffix(".tmp") }.sorted()
    }

    /// An apply at `now` reads the table once and changes nothing of the feed: no version, no file.
    static func expectUnchangedApply(_ lake: LakeFixture, at now: Date, sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws {
        let before = feedListing(lake)
        lake.emulator.queryLog.clear()
        let (_, results) = try await lake.apply(at: now)
        #expect(tableQueries(lake) == 1, sourceLocation: sourceLocation)
        #expect(lake.outcome(results, "users")?.changed == false, sourceLocation: sourceLocation)
        #expect(feedListing(lake) == before, sourceLocation: sourceLocation)
        #expect(try versionDirectories(lake) == ["version=v1"], sourceLocation: sourceLocation)
    }

    @Test func aChangedTableIsQueriedOnceAndItsVersionHoldsItsRows() async throws {
        let lake = try await LakeFixture(rows: 100, feeds: Self.feeds())
        try await lake.apply(at: Self.t1)
        #expect(Self.tableQueries(lake) == 1)
        try Self.change(lake, "c1")
        lake.emulator.queryLog.clear()
        let (_, results) = try await lake.apply(at: Self.t1 + 60)
        #expect(Self.tableQueries(lake) == 1)
        let meta = try lake.metadata("tables/users")
        #expect(meta.versions.map(\.number) == [1, 2])
        let latest = try #require(meta.latestVersion)
        let rows = try lake.sourceRows("USER_TRANSACTION_SUMMARY")
        #expect(latest.file.rows == rows && lake.outcome(results, "users")?.rows == rows)
        #expect(latest.file.path.hasPrefix("version=v2/snapshot_"))
        let footer = try FooterReader.read(path: lake.dir.url("data_lake/tables/users/\(latest.file.path)"))
        #expect(footer.numRows == Int64(rows))
        #expect(footer.schema.dropFirst().map(\.name) == ["USER_ID", "TRANSACTION_COUNT", "TOTAL_AMOUNT", "AVG_AMOUNT", "LAST_TRANSACTION_TIME"])
        #expect(try Self.versionDirectories(lake) == ["version=v1", "version=v2"])
        #expect(Self.stagedFiles(lake).isEmpty)
        await lake.stop()
    }

    @Test func anUnchangedTableIsQueriedOnceAndLeavesTheLakeAsItWas() async throws {
        let lake = try await LakeFixture(rows: 100, feeds: Self.feeds())
        try await lake.apply(at: Self.t1)
        try await Self.expectUnchangedApply(lake, at: Self.t1 + 60)
        await lake.stop()
    }

    /// Versions recorded before fingerprint keys hold FNV sums: they still match, and make no version.
    @Test func aLegacyUnkeyedHashStillMatchesWithoutAVersion() async throws {
        let lake = try await LakeFixture(rows: 100, feeds: Self.feeds())
        try await lake.apply(at: Self.t1)
        let client = KsqlDBClient(configuration: try PlanSession.load(configPath: lake.config).desired.config.ksqldb.clientConfiguration())
        var unkeyed = TableSnapshotter.ContentHash(key: nil)
        _ = try await client.streamQuery(Self.sql, onHeader: { unkeyed.add(header: $0) }, onRows: { $0.forEachLine { unkeyed.add($0) } })
        try await client.shutdown()
        var meta = try lake.metadata("tables/users")
        meta.fingerprintKey = nil
        meta.versions[0].contentHash = unkeyed.text
        try LocalFiles.writeAtomically(lake.dir.url("data_lake/tables/users/_metadata.json"), Array(meta.json.rendered().utf8))
        try await Self.expectUnchangedApply(lake, at: Self.t1 + 60)
        await lake.stop()
    }

    /// A snapshot killed before its commit leaves its `version=vN` directory, empty or holding its
    /// staged file: the next plan's cleanup lists both, and apply leaves the feed as it was before.
    @Test(arguments: [true, false]) func aKilledSnapshotsVersionDirectoryIsCleanedUp(withStagedFile: Bool) async throws {
        let lake = try await LakeFixture(rows: 100, feeds: Self.feeds())
        try await lake.apply(at: Self.t1)
        let before = Self.feedListing(lake)
        let left = lake.dir.url("data_lake/tables/users/version=v2")
        try FileManager.default.createDirectory(atPath: left, withIntermediateDirectories: false)
        if withStagedFile { _ = FileManager.default.createFile(atPath: left + "/.snapshot_20250116_000100.parquet.tmp", contents: Data("PAR1".utf8)) }
        let (plan, _) = try await lake.apply(at: Self.t1 + 60)
        let cleanup = try #require(plan.actions.first { $0.kind == .cleanup && $0.feed == "users" })
        #expect(cleanup.paths.map(\.path) == ["tables/users/version=v2"]
            + (withStagedFile ? ["tables/users/version=v2/.snapshot_20250116_000100.parquet.tmp"] : []))
        #expect(Self.feedListing(lake) == before)
        #expect(try Self.versionDirectories(lake) == ["version=v1"])
        // A committed version is never a leftover, whatever a plan says.
        let session = try PlanSession.load(configPath: lake.config)
        var forged = cleanup
        forged.paths = [PlanPath(path: "tables/users/version=v1", bytes: 0)]
        #expect(throws: (any Error).self) { try Applier(storage: session.storage).execute(forged) }
        #expect(Self.feedListing(lake) == before)
        await lake.stop()
    }

    static let midPassFaults = [EmulatorFaults(dropConnectionAfterRows: 5), EmulatorFaults(midStreamErrorAfterRows: 5),
                                EmulatorFaults(malformedRowAt: 5)]

    @Test(arguments: 0..<3)
    func aFailureMidPassLeavesNoStagedOrPartialFile(faultIndex: Int) async throws {
        let lake = try await LakeFixture(rows: 100, feeds: Self.feeds())
        try await lake.apply(at: Self.t1)
        #expect(try lake.sourceRows("USER_TRANSACTION_SUMMARY") > 5)
        try Self.change(lake, "f1")
        let before = Self.feedListing(lake)
        lake.emulator.setFaults(Self.midPassFaults[faultIndex])
        await #expect(throws: (any Error).self) { try await lake.apply(at: Self.t1 + 60) }
        #expect(Self.feedListing(lake) == before)
        #expect(Self.stagedFiles(lake).isEmpty)
        #expect(try Self.versionDirectories(lake) == ["version=v1"])
        lake.emulator.setFaults(EmulatorFaults())
        try await lake.apply(at: Self.t1 + 120)
        #expect(try lake.metadata("tables/users").versions.map(\.number) == [1, 2])
        await lake.stop()
    }

    struct Stop: Error {}

    @Test func aStopMidPassDropsTheStagedFile() async throws {
        let lake = try await LakeFixture(rows: 100, feeds: Self.feeds())
        try await lake.apply(at: Self.t1)
        try Self.change(lake, "s1")
        let before = Self.feedListing(lake)
        let session = try PlanSession.load(configPath: lake.config)
        let client = KsqlDBClient(configuration: try session.desired.config.ksqldb.clientConfiguration())
        let plan = try session.plan(at: Self.t1 + 60, sources: try await SourceRefresher(client: client).refresh(session.desired.feeds.map(\.spec)),
                                    includeExports: true)
        let action = try #require(plan.actions.first { $0.kind == .snapshot })
        let snapshotter = TableSnapshotter(settings: ExportSettings(client: client, parquet: session.desired.config.parquet),
                                           storage: session.storage, clock: Clock { Self.t1 + 60 })
        var stagedWhenStopped: [String] = []
        do {
            _ = try await snapshotter.run(action) { _ in
                stagedWhenStopped = Self.stagedFiles(lake)
                throw Stop()
            }
            Issue.record("the snapshot did not stop")
        } catch is Stop {}
        try await client.shutdown()
        #expect(stagedWhenStopped.count == 1, "the rows were being written while read")
        #expect(Self.feedListing(lake) == before)
        #expect(Self.stagedFiles(lake).isEmpty)
        #expect(try Self.versionDirectories(lake) == ["version=v1"])
        await lake.stop()
    }

    /// Checks run during the pass; an unchanged table makes no version, so its checks are neither
    /// reported nor able to fail it (as when they ran on a second pass only for a changed table).
    @Test func aFailingCheckFailsAChangedTableOnlyAndLeavesNothing() async throws {
        let lake = try await LakeFixture(rows: 100, feeds: Self.feeds())
        try await lake.apply(at: Self.t1)
        _ = lake.dir.write("feeds.d/t.yaml", Self.feeds("checks:\n  - row_count: {max: 1}\n")["t.yaml"]!)
        let (_, same) = try await lake.apply(at: Self.t1 + 60)
        #expect(lake.outcome(same, "users")?.changed == false && lake.outcome(same, "users")?.checks.isEmpty == true)
        try Self.change(lake, "k1")
        let before = Self.feedListing(lake)
        lake.emulator.queryLog.clear()
        await #expect(throws: (any Error).self) { try await lake.apply(at: Self.t1 + 120) }
        #expect(Self.tableQueries(lake) == 1)
        #expect(Self.feedListing(lake) == before)
        #expect(Self.stagedFiles(lake).isEmpty)
        #expect(try Self.versionDirectories(lake) == ["version=v1"])
        await lake.stop()
    }
}
