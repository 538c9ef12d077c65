import Foundation
import Testing
@testable import DataLake
import DataLakeTestSupport
@testable import DeltaLake
@testable import KsqlDBEmulator
@testable import KsqlDBClient
@testable import LakeStorage
import Parquet

/// Delta feeds: one log commit per export, snapshot or expiry that changes data, none otherwise; a
/// commit interrupted before or after its log file ends exact on the next apply; a version taken by
/// another writer is an error, never an overwrite. (delta-rs reading it all: Tests/interop/test_delta.py.)
@Suite(.serialized) struct DeltaTests {
    static let t1 = LakeFixture.date("2025-01-16T00:00:00Z")
    static let feeds = [
        "s.yaml": "feed_name: tx\nfeed_type: stream\nksqldb_source: transaction_stream\nretention_days: 365\n",
        "t.yaml": "feed_name: users\nfeed_type: table\nksqldb_source: user_transaction_summary\nversions_to_keep: 7\n",
    ]

    static func log(_ lake: LakeFixture, _ feed: String) -> DeltaLog {
        DeltaLog(storage: LocalLakeStorage(root: lake.dir.url("data_lake")), table: LakePath.root.appending(feed))
    }

    static func actions(_ lake: LakeFixture, _ feed: String, _ version: Int) throws -> [DeltaLogEntry] {
        try #require(try log(lake, feed).entries(version))
    }

    @Test func eachApplyThatWritesRowsIsOneCommitAndNothingNewIsNone() async throws {
        let lake = try await LakeFixture(rows: 90, feeds: Self.feeds, lakeExtra: "table_format: delta\n")
        try await lake.apply(at: Self.t1)
        let stream = Self.log(lake, "streams/tx")
        #expect(try stream.versions() == [0])
        let first = try Self.actions(lake, "streams/tx", 0)
        let meta = try lake.metadata("streams/tx")
        #expect(Set(first.compactMap { $0.add?.path }) == Set(meta.files.map(\.path)))
        #expect(first.compactMap { $0.add?.numRecords }.reduce(0, +) == Int64(meta.totalRecords))
        #expect(first.compactMap(\.txn).map(\.version) == [1] && first.compactMap(\.txn).first?.appId == "tx")
        #expect(first.compactMap(\.metaData).first?.partitionColumns == ["year", "month", "day"])
        #expect(meta.deltaVersion == 0 && meta.deltaTxn == 1)
        #expect(try Self.log(lake, "tables/users").versions() == [0])

        // The unchanged table's directory gained and lost the staged version it was read into: its times alone moved.
        let before = lake.dir.snapshot(exceptTimesOf: ["data_lake/tables/users"])
        try await lake.apply(at: Self.t1.addingTimeInterval(60))
        #expect(lake.dir.snapshot(exceptTimesOf: ["data_lake/tables/users"]).filter { !$0.key.hasPrefix("data_lake/logs") }
                == before.filter { !$0.key.hasPrefix("data_lake/logs") })

        let w = Int64(Self.t1.timeIntervalSince1970 * 1000)
        try lake.insert(ExportEndToEndTests.row("d1", at: w + 1000))
        try await lake.apply(at: Self.t1.addingTimeInterval(3600))
        #expect(try stream.versions() == [0, 1])
        let second = try Self.actions(lake, "streams/tx", 1)
        #expect(second.compactMap { $0.add?.numRecords } == [1])
        #expect(second.compactMap(\.txn).map(\.version) == [2])
        #expect(second.contains { $0.metaData != nil } == false, "the schema did not change")
        #expect(second.compactMap(\.commitInfo).first?.operation == "WRITE")
        // The table changed too: one commit that removes the old version's file and adds the new one.
        let users = try Self.actions(lake, "tables/users", 1)
        let metaUsers = try lake.metadata("tables/users")
        #expect(users.compactMap { $0.remove?.path } == [metaUsers.versions[0].file.path])
        #expect(users.compactMap { $0.add?.path } == [metaUsers.versions[1].file.path])
        await lake.stop()
    }

    @Test func anExpiryRemovesTheFilesInACommitBeforeDeletingThem() async throws {
        let lake = try await LakeFixture(rows: 60, feeds: Self.feeds, lakeExtra: "table_format: delta\n")
        try await lake.apply(at: Self.t1)
        let later = LakeFixture.date("2026-01-15T12:00:00Z")
        let session = try PlanSession.load(configPath: lake.config)
        let plan = try session.plan(at: later, includeExports: false)
        let expired = try lake.metadata("streams/tx").files.filter { $0.path.hasPrefix("year=2025/month=01/day=13") || $0.path.hasPrefix("year=2025/month=01/day=14") }
        #expect(!expired.isEmpty)
        _ = try await Applier(storage: session.storage, clock: Clock { later }).apply(plan) { _ in }
        let commit = try Self.actions(lake, "streams/tx", 1)
        #expect(Set(commit.compactMap { $0.remove?.path }) == Set(expired.map(\.path)))
        #expect(commit.compactMap(\.commitInfo).first?.operation == "DELETE")
        let meta = try lake.metadata("streams/tx")
        #expect(meta.deltaVersion == 1 && meta.deltaTxn == 2)

        // Crash after the log commit, before the metadata: the metadata is one commit behind. The
        // next export folds the commit in instead of removing again or mistaking its txn for done.
        var stale = meta
        stale.files += expired
        stale.deltaVersion = 0
        stale.deltaTxn = 1
        _ = lake.dir.write("data_lake/streams/tx/_metadata.json", stale.json.rendered())
        try lake.insert(ExportEndToEndTests.row("after", at: Int64(later.timeIntervalSince1970 * 1000) - 1000))
        try await lake.apply(at: later)
        let caught = try lake.metadata("streams/tx")
        #expect(!caught.files.contains { expired.map(\.path).contains($0.path) })
        #expect(try Self.log(lake, "streams/tx").versions() == [0, 1, 2])
        #expect(try Self.actions(lake, "streams/tx", 2).compactMap(\.txn).map(\.version) == [3])
        #expect(caught.deltaVersion == 2 && caught.deltaTxn == 3)
        await lake.stop()
    }

    @Test func aCommitInterruptedBeforeItsLogFileIsRolledForwardOnce() async throws {
        let lake = try await LakeFixture(rows: 60, feeds: ["s.yaml": Self.feeds["s.yaml"]!], lakeExtra: "table_format: delta\n")
        try await lake.apply(at: Self.t1)
        let w = Int64(Self.t1.timeIntervalSince1970 * 1000)
        try lake.insert(ExportEndToEndTests.row("r1", at: w + 1000))
        try await lake.apply(at: Self.t1.addingTimeInterval(3600))
        // Put the lake back where a crash after the metadata commit and the renames, before the
        // log file, leaves it: the files pending, the log one version short.
        var meta = try lake.metadata("streams/tx")
        let added = try Self.actions(lake, "streams/tx", 1).compactMap { $0.add?.path }
        meta.pending = added
        meta.deltaVersion = 0
        _ = lake.dir.write("data_lake/streams/tx/_metadata.json", meta.json.rendered())
        try FileManager.default.removeItem(atPath: lake.dir.url("data_lake/streams/tx/_delta_log/" + DeltaLog.commitName(1)))

        let session = try PlanSession.load(configPath: lake.config)
        let plan = try session.plan(at: Self.t1.addingTimeInterval(3600), includeExports: false)
        let cleanup = try #require(plan.actions.first { $0.kind == .cleanup })
        #expect(cleanup.publish.map(\.path) == added.map { "streams/tx/" + $0 })
        _ = try await Applier(storage: session.storage, clock: Clock { Self.t1 }).apply(plan) { _ in }
        let rolled = try Self.actions(lake, "streams/tx", 1)
        #expect(rolled.compactMap { $0.add?.path } == added)
        #expect(rolled.compactMap(\.txn).map(\.version) == [2])
        #expect(try lake.metadata("streams/tx").pending.isEmpty)
        // Run again (as if killed after the log file): the txn says it is done; no second commit.
        var again = try lake.metadata("streams/tx")
        again.pending = added
        again.deltaVersion = 0
        _ = lake.dir.write("data_lake/streams/tx/_metadata.json", again.json.rendered())
        let redo = try PlanSession.load(configPath: lake.config).plan(at: Self.t1.addingTimeInterval(3600), includeExports: false)
        _ = try await Applier(storage: session.storage, clock: Clock { Self.t1 }).apply(redo) { _ in }
        #expect(try Self.log(lake, "streams/tx").versions() == [0, 1])
        await lake.stop()
    }

    @Test func aVersionAnotherWriterTookIsAnErrorNeverAnOverwrite() async throws {
        let lake = try await LakeFixture(rows: 60, feeds: ["s.yaml": Self.feeds["s.yaml"]!], lakeExtra: "table_format: delta\n")
        try await lake.apply(at: Self.t1)
        let foreign = #"{"commitInfo":{"timestamp":1,"operation":"WRITE","engineInfo":"someone-else"}}"# + "\n"
        let racer = Self.log(lake, "streams/tx")
        // The other writer commits version 1 between our listing and our create-if-absent.
        let theirs = lake.dir.url("data_lake/streams/tx/_delta_log/" + DeltaLog.commitName(1))
        let committer = DeltaCommitter(storage: RacingStorage(base: LocalLakeStorage(root: lake.dir.url("data_lake")), onCreate: {
            _ = FileManager.default.createFile(atPath: theirs, contents: Data(foreign.utf8))
        }), spec: try #require(PlanSession.load(configPath: lake.config).desired.feed(named: "tx")).spec, now: 1)
        var meta = try lake.metadata("streams/tx")
        meta.deltaTxn = 2
        #expect {
            _ = try committer.commit(DeltaChange(fields: try DeltaChange.fields(of: meta), operation: "WRITE", writesMetadata: false), txn: 2, metadata: meta)
        } throws: { error in
            "\(error)".contains("another writer committed version 1 of feed tx's Delta log")
        }
        #expect(lake.dir.read("data_lake/streams/tx/_delta_log/" + DeltaLog.commitName(1)) == foreign)
        #expect(try racer.versions() == [0, 1])
        await lake.stop()
    }

    @Test(arguments: [("table_format: delta\n", "table_format: hive\n"), ("", "table_format: delta\n"), ("table_format: delta\n", "")])
    func aFeedsFormatApartFromTheLakeDefaultIsStableAcrossApplies(lake extra: String, feed key: String) async throws {
        let lake = try await LakeFixture(rows: 30, feeds: ["s.yaml": Self.feeds["s.yaml"]! + key], lakeExtra: extra)
        try await lake.apply(at: Self.t1)
        let session = try PlanSession.load(configPath: lake.config)
        #expect(session.registry.warnings.isEmpty, "\(session.registry.warnings)")
        #expect(try session.plan(at: Self.t1, includeExports: false).actions.isEmpty)
        let delta = (extra + key).hasSuffix("delta\n") || (key.isEmpty && extra.contains("delta"))
        #expect(lake.dir.exists("data_lake/streams/tx/_delta_log") == delta)
        await lake.stop()
    }

    @Test func logEntriesPastRetentionBeforeTheCheckpointArePlannedAndOnlyThoseGo() async throws {
        let lake = try await LakeFixture(rows: 30, feeds: ["s.yaml": "feed_name: tx\nfeed_type: stream\nksqldb_source: transaction_stream\nretention_days: 3650\nlog_retention_days: 7\n"], lakeExtra: "table_format: delta\n")
        var now = Self.t1
        try await lake.apply(at: now)
        for i in 0..<11 {
            try lake.insert(ExportEndToEndTests.row("l\(i)", at: Int64(now.timeIntervalSince1970 * 1000) + 10))
            now += 60
            try await lake.apply(at: now)
        }
        let log = Self.log(lake, "streams/tx")
        #expect(try log.versions() == Array(0...11))
        #expect(lake.dir.exists("data_lake/streams/tx/_delta_log/" + DeltaLog.checkpointName(10)))
        // Within retention (the files were written just now): nothing to do.
        #expect(try PlanSession.load(configPath: lake.config).plan(at: Date(), includeExports: false).actions.isEmpty)
        // Eight days on: the commits before the checkpoint go, the checkpoint and what follows stay.
        let later = Date().addingTimeInterval(8 * 86_400)
        let session = try PlanSession.load(configPath: lake.config)
        let plan = try session.plan(at: later, includeExports: false)
        let expiry = try #require(plan.actions.first { $0.kind == .expireLog })
        #expect(expiry.paths.map(\.path) == (0..<10).map { "streams/tx/_delta_log/" + DeltaLog.commitName($0) })
        let json = JSONPlanRenderer().render(plan)
        for edit in [DeltaLog.commitName(10), DeltaLog.checkpointName(10), "../_metadata.json"] {
            let file = lake.dir.write("plan.json", json.replacingOccurrences(of: DeltaLog.commitName(3), with: edit))
            #expect(throws: (any Error).self) { _ = try PlanSession.load(configPath: lake.config).savedPlan(file, now: later) }
        }
        _ = try await Applier(storage: session.storage, clock: Clock { later }).apply(plan) { _ in }
        #expect(try log.versions() == [10, 11])
        #expect(lake.dir.exists("data_lake/streams/tx/_delta_log/" + DeltaLog.checkpointName(10)))
        #expect(try PlanSession.load(configPath: lake.config).plan(at: later, includeExports: false).actions.isEmpty)
        await lake.stop()
    }

    @Test func anAcceptedSchemaChangeCommitsANewMetaData() async throws {
        let lake = try await LakeFixture(dataset: SchemaChangeTests.dataset,
                                         feeds: ["e.yaml": "feed_name: events\nfeed_type: stream\nksqldb_source: EVENTS\ntable_format: delta\n"])
        try await lake.apply(at: SchemaChangeTests.t1)
        var schema = try #require(lake.emulator.store.schema(of: "EVENTS"))
        schema.columns.append(EmulatorColumn("CITY", .string))
        let old = try lake.emulator.store.rows(of: "EVENTS")
        lake.emulator.store.addStream(schema, rows: old.map { EmulatorRow(rowtime: $0.rowtime, values: $0.values + [.null]) }
            + [EmulatorRow(rowtime: 1_736_985_630_000, values: [.string("c"), .double(3.5), .string("Lyon")])])
        try await lake.apply(at: SchemaChangeTests.t1 + 60)
        let first = try #require(try Self.actions(lake, "streams/events", 0).compactMap(\.metaData).first)
        let second = try #require(try Self.actions(lake, "streams/events", 1).compactMap(\.metaData).first)
        #expect(!first.schemaString.contains("CITY") && second.schemaString.contains(#"{"name":"CITY","type":"string","nullable":true,"metadata":{}}"#))
        #expect(second.id == first.id, "the same table")
        await lake.stop()
    }

    @Test func aTimeColumnHasNoDeltaTypeAndSaysSo() throws {
        let spec = FeedSpec(name: "t", type: .stream, source: "S")
        #expect(throws: (any Error).self) { try spec.deltaSchema([KsqlField(name: "AT", type: .time)]) }
        #expect(throws: (any Error).self) { try spec.deltaSchema([KsqlField(name: "YEAR", type: .integer)]) }
        let schema = try spec.deltaSchema([KsqlField(name: "A", type: .decimal(precision: 10, scale: 2)),
                                           KsqlField(name: "M", type: .map(key: .string, value: .array(.timestamp)))])
        #expect(DeltaType.struct(schema).json.rendered.contains(#"{"name":"A","type":"decimal(10,2)","nullable":true,"metadata":{}}"#))
        #expect(DeltaType.struct(schema).json.rendered.contains(#""valueType":{"type":"array","elementType":"timestamp","containsNull":true}"#))
    }

    @Test func statsBoundsAreExactAndOnlyWhereExact() {
        #expect(DeltaStatsBuilder.Bound.decimalText(-5, scale: 2) == "-0.05")
        #expect(DeltaStatsBuilder.Bound.decimalText(123456, scale: 2) == "1234.56")
        #expect(DeltaStatsBuilder.Bound.decimalText(7, scale: 0) == "7")
        let ts = DeltaStatsBuilder.Bound.int(1_736_942_400_123_000).json(.timestamp, SchemaElement(name: "T"), 1000)
        #expect(ts == .string("2025-01-15T12:00:00.123Z"))
        #expect(DeltaStatsBuilder.Bound.int(20103).json(.date, SchemaElement(name: "D"), 1000) == .string("2025-01-15"))
        #expect(DeltaStatsBuilder.Bound(Array(repeating: 0x61, count: 65), .string, SchemaElement(name: "S")) == nil, "long strings get no bounds")
        #expect(DeltaLog.uriPath("year=2025/a b%.parquet") == "year=2025/a%20b%25.parquet")
        #expect(DeltaLog.commitName(7) == "00000000000000000007.json" && DeltaLog.version(ofCommit: "00000000000000000007.json") == 7)
        #expect(DeltaLog.version(ofCommit: "00000000000000000007.checkpoint.parquet") == nil)
    }
}

/// A local lake whose create-if-absent first runs `onCreate`: another writer winning the race.
struct RacingStorage: LakeStorage {
    let base: LocalLakeStorage
    let onCreate: @Sendable () -> Void
    var location: String { base.location }
    var capabilities: StorageCapabilities { base.capabilities }
    func describe(_ path: LakePath) -> String { base.describe(path) }
    func read(_ path: LakePath, limit: Int) throws(StorageError) -> [UInt8]? { try base.read(path, limit: limit) }
    func entry(at path: LakePath) throws(StorageError) -> StorageEntry? { try base.entry(at: path) }
    func list(under prefix: LakePath) throws(StorageError) -> [StorageEntry] { try base.list(under: prefix) }
    func put(_ path: LakePath, _ bytes: [UInt8], mode: UInt16) throws(StorageError) { try base.put(path, bytes, mode: mode) }
    func createIfAbsent(_ path: LakePath, _ bytes: [UInt8], mode: UInt16) throws(StorageError) -> Bool {
        onCreate()
        return try base.createIfAbsent(path, bytes, mode: mode)
    }
    func append(_ path: LakePath, _ bytes: [UInt8], mode: UInt16) throws(StorageError) { try base.append(path, bytes, mode: mode) }
    func stage(_ path: LakePath, mode: UInt16) throws(StorageError) -> any StagedObject { try base.stage(path, mode: mode) }
    func publish(_ path: LakePath) throws(StorageError) -> PublishResult { try base.publish(path) }
    func stagedTarget(of path: LakePath) -> LakePath? { base.stagedTarget(of: path) }
    func delete(_ paths: [LakePath]) throws(StorageError) { try base.delete(paths) }
    func deleteTree(_ path: LakePath) throws(StorageError) { try base.deleteTree(path) }
    func removeDirectoryIfEmpty(_ path: LakePath) throws(StorageError) -> Bool { try base.removeDirectoryIfEmpty(path) }
    func makeDirectories(_ path: LakePath, mode: UInt16) throws(StorageError) { try base.makeDirectories(path, mode: mode) }
    func setMode(_ path: LakePath, _ mode: UInt16) throws(StorageError) { try base.setMode(path, mode) }
    func incompleteUploads(under prefix: LakePath) throws(StorageError) -> [LakePath] { [] }
    func abortUploads(_ paths: [LakePath]) throws(StorageError) {}
    func breakLock(_ path: LakePath) throws(StorageError) -> String? { try base.breakLock(path) }
    func lock(_ path: LakePath) throws(StorageError) -> any LakeLock { try base.lock(path) }
    func tier(_ paths: [LakePath], to tier: String) throws(StorageError) { try base.tier(paths, to: tier) }
}
