import Foundation
import Testing
@testable import DataLake
import DataLakeTestSupport
@testable import LakeStorage

/// Tiering on a local lake: day partitions older than tier_after_days move to tier_root as planned
/// `tier` actions, keep their lake paths, stay part of the lake for retention, modes and exports,
/// and an interrupted move is finished by the next apply.
@Suite(.serialized) struct TieringTests {
    static let t1 = LakeFixture.date("2025-01-16T00:00:00Z")
    static let feed = "feed_name: tx\nfeed_type: stream\nksqldb_source: transaction_stream\nretention_days: 365\ntier_after_days: 1\n"

    static func plan(_ lake: LakeFixture, at now: Date) throws -> (Plan, PlanSession) {
        let session = try PlanSession.load(configPath: lake.config)
        return (try session.plan(at: now, includeExports: false), session)
    }

    static func files(under root: String) -> [String: String] {
        var out: [String: String] = [:]
        for e in (try? LocalLakeStorage(root: root).list(under: .root)) ?? [] where e.kind == .file {
            out[e.path.value] = (try? LocalFiles.read(LocalFiles.join(root, e.path.value))).flatMap { $0.map { String($0) }.joined(separator: ",") }
        }
        return out
    }

    @Test func oldPartitionsMoveToTierRootAsPlannedAndStayInTheLake() async throws {
        let lake = try await LakeFixture(rows: 60, feeds: ["s.yaml": Self.feed], lakeExtra: "tier_root: cold\n")
        try await lake.apply(at: Self.t1)
        let hot = lake.dir.url("data_lake"), cold = lake.dir.url("cold")
        let exported = Self.files(under: hot).filter { $0.key.hasSuffix(".parquet") }
        #expect(exported.count == 3)

        // Today is the 16th: the 13th and 14th are more than one day old, the 15th is not.
        let (plan, session) = try Self.plan(lake, at: Self.t1)
        let tier = try #require(plan.actions.first { $0.kind == .tier })
        let moved = exported.keys.filter { !$0.contains("day=15") }.sorted()
        #expect(tier.paths.map(\.path) == moved)
        #expect(tier.paths.allSatisfy { $0.bytes > 0 })
        #expect(tier.tierTarget == "tier_root")
        #expect(TextPlanRenderer(color: false).render(plan).contains("> tier stream tx (2 paths"))

        let (results, _) = try await Applier(storage: session.storage, clock: Clock { Self.t1 }).apply(plan) { _ in }
        #expect(results.allSatisfy { $0.error == nil })
        let coldFiles = Self.files(under: cold)
        for path in moved {
            #expect(coldFiles[path] == exported[path], "\(path) moved byte for byte")
            #expect(!lake.dir.exists("data_lake/" + path))
        }
        // The emptied day directories went with them; the 15th stayed.
        #expect(!lake.dir.exists("data_lake/streams/tx/year=2025/month=01/day=13"))
        #expect(lake.dir.exists("data_lake/streams/tx/year=2025/month=01/day=15"))
        #expect(try Self.plan(lake, at: Self.t1).0.actions.isEmpty)

        // Later exports see the whole lake: no row again, none lost.
        try await lake.apply(at: Self.t1.addingTimeInterval(3600))
        #expect(try lake.metadata("streams/tx").totalRecords == (try lake.sourceRows("TRANSACTION_STREAM")))

        // A move interrupted after the copy (the file in both directories) is finished, not doubled.
        let again = try #require(moved.first)
        try FileManager.default.createDirectory(atPath: lake.dir.url("data_lake/" + (again as NSString).deletingLastPathComponent),
                                                withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: LocalFiles.join(cold, again), toPath: lake.dir.url("data_lake/" + again))
        let (redo, redoSession) = try Self.plan(lake, at: Self.t1.addingTimeInterval(3600))
        #expect(redo.actions.first { $0.kind == .tier }?.paths.map(\.path) == [again])
        _ = try await Applier(storage: redoSession.storage, clock: Clock { Self.t1 }).apply(redo) { _ in }
        #expect(!lake.dir.exists("data_lake/" + again))
        #expect(Self.files(under: cold)[again] == exported[again])

        // Retention reaches into tier_root: a year on, the 13th and 14th expire from there.
        let later = LakeFixture.date("2026-01-15T12:00:00Z")
        let (expiry, expirySession) = try Self.plan(lake, at: later)
        let expire = try #require(expiry.actions.first { $0.kind == .expire })
        #expect(expire.paths.map(\.path).prefix(2) == ["streams/tx/year=2025/month=01/day=13", "streams/tx/year=2025/month=01/day=14"])
        // What expires is not tiered first.
        #expect(expiry.actions.first { $0.kind == .tier }?.paths.allSatisfy { !$0.path.contains("day=13") && !$0.path.contains("day=14") } ?? true)
        _ = try await Applier(storage: expirySession.storage, clock: Clock { later }).apply(expiry) { _ in }
        #expect(!FileManager.default.fileExists(atPath: LocalFiles.join(cold, "streams/tx/year=2025/month=01/day=13")))
        #expect(!FileManager.default.fileExists(atPath: LocalFiles.join(cold, "streams/tx/year=2025/month=01/day=14")))
        await lake.stop()
    }

    @Test func anEditedSavedTierIsRefusedWhole() async throws {
        let lake = try await LakeFixture(rows: 60, feeds: ["s.yaml": Self.feed], lakeExtra: "tier_root: cold\n")
        try await lake.apply(at: Self.t1)
        let (plan, _) = try Self.plan(lake, at: Self.t1)
        let json = JSONPlanRenderer().render(plan)
        let tier = try #require(plan.actions.first { $0.kind == .tier })
        let first = try #require(tier.paths.first?.path)
        let edits = [
            ("streams/tx/_metadata.json", "is not a data file of a day partition"),
            ("streams/tx/year=2025/month=01/day=15/" + (first as NSString).lastPathComponent, "is not older than tier_after_days 1"),
            ("streams/tx/../../../victim/x.parquet", "\"..\""),
        ]
        for (edit, problem) in edits {
            let file = lake.dir.write("plan.json", json.replacingOccurrences(of: first, with: edit))
            #expect {
                _ = try PlanSession.load(configPath: lake.config).savedPlan(file, now: Self.t1)
            } throws: { error in
                "\(error)".contains(problem)
            }
        }
        let other = lake.dir.write("plan.json", json.replacingOccurrences(of: "\"tier_target\": \"tier_root\"", with: "\"tier_target\": \"GLACIER\""))
        #expect(throws: (any Error).self) { _ = try PlanSession.load(configPath: lake.config).savedPlan(other, now: Self.t1) }
        // Untouched, it loads.
        let good = lake.dir.write("plan.json", json)
        #expect(try PlanSession.load(configPath: lake.config).savedPlan(good, now: Self.t1).actions.contains { $0.kind == .tier })
        await lake.stop()
    }

    @Test(arguments: [
        ("", "tier_after_days: 3\n", "\"tier_after_days\" on a local lake needs \"tier_root\""),
        ("tier_root: cold\n", "tier_after_days: 3\ntier_storage_class: GLACIER_IR\n", "\"tier_storage_class\" applies to s3:// lakes"),
        ("tier_root: cold\n", "tier_after_days: 3\ntier_storage_class: GLACIER\n", "GLACIER objects cannot be read until restored"),
        ("tier_root: cold\n", "tier_after_days: 400\n", "must be less than retention_days 365"),
        ("tier_root: data_lake/cold\n", "tier_after_days: 3\n", "is inside the lake's root"),
        ("tier_root: .\n", "tier_after_days: 3\n", "contains the lake's root"),
        ("tier_root: cold\n", "tier_storage_class: STANDARD_IA\n", "needs \"tier_after_days\""),
    ])
    func tieringThatCannotWorkIsAClearError(lake extra: String, feed keys: String, message: String) throws {
        let dir = TempDirectory()
        let config = dir.makeProject(lake: "root: data_lake\nfeeds_dir: feeds.d\n" + extra,
                                     feeds: ["s.yaml": "feed_name: tx\nfeed_type: stream\nksqldb_source: transaction_stream\nretention_days: 365\n" + keys])
        let errors = loadErrors(config, base: dir.path)
        #expect(errors.count == 1 && errors[0].contains(message), "\(errors)")
        #expect(errors.first?.range(of: #":\d+:\d+: "#, options: .regularExpression) != nil, "names the line and column: \(errors)")
    }

    @Test func tablesDoNotTier() throws {
        let dir = TempDirectory()
        let config = dir.makeProject(lake: "root: data_lake\nfeeds_dir: feeds.d\ntier_root: cold\n",
                                     feeds: ["t.yaml": "feed_name: users\nfeed_type: table\nksqldb_source: users\ntier_after_days: 3\n"])
        #expect(loadErrors(config, base: dir.path).first?.contains("applies to streams only") == true)
    }
}
