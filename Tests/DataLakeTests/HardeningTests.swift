import Foundation
import Testing
@testable import DataLake
import DataLakeTestSupport
@testable import KsqlDBClient
@testable import LakeStorage
@testable import KsqlDBEmulator

/// Nothing outside the lake is touched, whatever a saved plan, a `_metadata.json` or a planted
/// symbolic link says.
@Suite struct HardeningTests {
    static let now = LakeFixture.date("2025-06-01T00:00:00Z")

    /// A registered stream `s` with two old day partitions and one recent, and a victim directory
    /// beside the project.
    func project(_ dir: TempDirectory, extra: String = "retention_days: 30\n") async throws -> (config: String, session: PlanSession) {
        let config = dir.makeProject(feeds: ["s.yaml": streamFeed("s", extra: extra)])
        try await planAndApply(config)
        var meta = FeedMetadata(source: "S", type: .stream)
        for day in ["2025-01-01", "2025-01-02", "2025-05-31"] {
            let p = day.split(separator: "-")
            let path = "year=\(p[0])/month=\(p[1])/day=\(p[2])/data_x.parquet"
            dir.write("data_lake/streams/s/\(path)", "PAR1")
            meta.files.append(.init(path: path, rows: 1, bytes: 4, exportedAt: day))
        }
        dir.write("data_lake/streams/s/_metadata.json", meta.json.rendered())
        dir.write("victim/keep.txt", "precious")
        return (config, try PlanSession.load(configPath: config))
    }

    func savedPlanText(_ session: PlanSession) throws -> String {
        JSONPlanRenderer().render(try session.plan(at: Self.now, includeExports: false))
    }

    @Test func anEditedSavedPlanIsRefusedWholeAndNothingRuns() async throws {
        let dir = TempDirectory()
        let (config, session) = try await project(dir)
        let text = try savedPlanText(session)
        #expect(text.contains("\"path\": \"streams/s/year=2025/month=01/day=01\""))
        let edits = [
            ("streams/s/year=2025/month=01/day=01", "streams/s/../../../victim", "is a \"..\" component"),
            ("streams/s/year=2025/month=01/day=01", "/tmp/victim", "is an absolute path"),
            ("streams/s/year=2025/month=01/day=01", "streams/s", "is not inside streams/s"),
            ("streams/s/year=2025/month=01/day=01", "streams/other/year=2025/month=01/day=01", "is not inside streams/s"),
            ("streams/s/year=2025/month=01/day=01", "streams/s/year=2025/month=05/day=31", "is not older than retention_days 30"),
            ("streams/s/year=2025/month=01/day=01", "streams/s/_metadata.json", "is not a day partition"),
            ("\"retention_days\": 30", "\"retention_days\": 1", "its spec is not the feed's spec"),
        ]
        for (from, to, reason) in edits {
            let file = dir.write("plan.json", text.replacingOccurrences(of: from, with: to))
            let before = dir.snapshot()
            do {
                _ = try PlanSession.load(configPath: config).savedPlan(file, now: Self.now)
                Issue.record("the plan with \(to) was accepted")
            } catch {
                let message = error.diagnostics.map(\.message).joined(separator: "; ")
                #expect(message.contains("refusing this saved plan") && message.contains(reason), "\(to): \(message)")
            }
            #expect(dir.snapshot() == before)
        }
        #expect(dir.read("victim/keep.txt") == "precious")
        // The plan as saved is accepted, and expires only the old days.
        let plan = try PlanSession.load(configPath: config).savedPlan(dir.write("plan.json", text), now: Self.now)
        _ = try await Applier(storage: session.storage).apply(plan) { _ in }
        #expect(!dir.exists("data_lake/streams/s/year=2025/month=01") && dir.exists("data_lake/streams/s/year=2025/month=05/day=31"))
    }

    @Test func aClockFarInTheFutureExpiresNothingWithoutAllowDestroyAndNeverAProtectedFeed() async throws {
        let dir = TempDirectory()
        let (config, session) = try await project(dir)
        let future = LakeFixture.date("2031-01-01T00:00:00Z")
        do throws(DiagnosticsError) {
            _ = try session.plan(at: future, includeExports: false)
            Issue.record("a plan expiring every partition was made without --allow-destroy")
        } catch {
            #expect(error.diagnostics.first?.message.contains("retention would expire every partition of feed \"s\" up to its newest, streams/s/year=2025/month=05/day=31") == true)
        }
        let plan = try session.plan(at: future, includeExports: false, allowDestroy: true)
        let expire = try #require(plan.actions.first { $0.kind == .expire })
        #expect(expire.destructive && TextPlanRenderer(color: false).render(plan).contains("DESTROYS expire stream s"))
        #expect(JSONPlanRenderer().render(plan).contains("\"destructive\": true"))
        // Saved without the mark, the same expiry is refused.
        let file = dir.write("plan.json", JSONPlanRenderer().render(plan).replacingOccurrences(of: "\"destructive\": true", with: "\"destructive\": false"))
        #expect(throws: DiagnosticsError.self) { try PlanSession.load(configPath: config).savedPlan(file, now: future) }
        dir.write("feeds.d/s.yaml", streamFeed("s", extra: "retention_days: 30\nprotect: true\n"))
        #expect(throws: DiagnosticsError.self) {
            try PlanSession.load(configPath: config).plan(at: future, includeExports: false, allowDestroy: true)
        }
        #expect(dir.exists("data_lake/streams/s/year=2025/month=05/day=31/data_x.parquet"))
    }

    @Test func anEditedExportWindowIsRefused() async throws {
        let dir = TempDirectory()
        let (config, _) = try await project(dir)
        var meta = try FeedMetadata.parse(try #require(try LocalFiles.read(dir.url("data_lake/streams/s/_metadata.json"))), path: "m")
        meta.watermark = 1_748_000_000_000
        meta.latenessMs = 3_600_000
        dir.write("data_lake/streams/s/_metadata.json", meta.json.rendered())
        let session = try PlanSession.load(configPath: config)
        let text = JSONPlanRenderer().render(try session.plan(at: Self.now, sources: ["s": [KsqlField(name: "ID", type: .string)]], includeExports: true))
        #expect(text.contains("\"from\": 1747996400000"))
        let file = dir.write("plan.json", text.replacingOccurrences(of: "\"from\": 1747996400000", with: "\"from\": 0"))
        #expect(throws: DiagnosticsError.self) { try PlanSession.load(configPath: config).savedPlan(file, now: Self.now) }
    }

    @Test func metadataPathsOutsideTheirShapeAreRefusedBeforeAnythingIsDeleted() async throws {
        let dir = TempDirectory()
        let config = dir.makeProject(feeds: ["t.yaml": tableFeed("t", extra: "versions_to_keep: 1\n")])
        try await planAndApply(config)
        dir.write("data_lake/tables/t/version=v1/snapshot.parquet", "PAR1")
        for bad in ["snapshot.parquet", "../../../victim/x.parquet", "version=v2/snapshot.parquet", "/etc/passwd"] {
            let versions = #"[{"version": 1, "path": "\#(bad)", "rows": 1, "bytes": 4, "content_hash": "a", "exported_at": "x"}, {"version": 2, "path": "version=v2/s.parquet", "rows": 1, "bytes": 4, "content_hash": "b", "exported_at": "x"}]"#
            dir.write("data_lake/tables/t/_metadata.json", #"{"source": "T", "type": "table", "versions": \#(versions), "files": []}"#)
            #expect(throws: DiagnosticsError.self) { try PlanSession.load(configPath: config) }
        }
        #expect(dir.exists("data_lake/tables/t/version=v1/snapshot.parquet"))
    }

    @Test func symbolicLinksInAFeedAreReportedAndNeverFollowed() async throws {
        let dir = TempDirectory()
        let config = dir.makeProject(feeds: ["s.yaml": streamFeed("s", extra: "access: restricted\n")])
        try await planAndApply(config)
        let outside = dir.write("outside/secret.txt", "x")
        chmod(outside, 0o600)
        symlink(outside, dir.url("data_lake/streams/s/link.parquet"))
        symlink(dir.url("outside"), dir.url("data_lake/streams/s/year=2020"))
        let session = try PlanSession.load(configPath: config)
        let plan = try session.plan(at: Self.now, includeExports: false)
        #expect(plan.warnings.map(\.message).contains { $0.contains("streams/s/link.parquet is a symbolic link") })
        #expect(!plan.actions.flatMap(\.paths).contains { $0.path.contains("link.parquet") || $0.path.contains("year=2020") })
        _ = try await Applier(storage: session.storage).apply(plan) { _ in }
        #expect(LocalFiles.kind(outside)?.mode == 0o600)
        #expect(dir.read("outside/secret.txt") == "x")
        // And the storage refuses a chmod through a link even when asked directly.
        #expect(throws: StorageError.self) { try session.storage.setMode(LakePath("streams/s/link.parquet"), 0o644) }
        #expect(LocalFiles.kind(outside)?.mode == 0o600)
    }

    @Test func feedFilesThatAreNotRegularFilesAreRefusedNotReadForever() async throws {
        let dir = TempDirectory()
        let config = dir.makeProject(feeds: ["s.yaml": streamFeed("s")])
        symlink("/dev/zero", dir.url("feeds.d/zero.yaml"))
        let errors = loadErrors(config, base: dir.path)
        #expect(errors == ["feeds.d/zero.yaml: error: cannot read the feed file: not a regular file"])
        unlink(dir.url("feeds.d/zero.yaml"))
        dir.write("feeds.d/big.yaml", String(repeating: "#", count: (1 << 20) + 1))
        #expect(loadErrors(config, base: dir.path) == ["feeds.d/big.yaml: error: cannot read the feed file: larger than the limit of 1048576 bytes"])
    }

    @Test func aCommittedFileThatIsLostIsAnErrorNotASkip() async throws {
        let dir = TempDirectory()
        let config = dir.makeProject(feeds: ["s.yaml": streamFeed("s")])
        try await planAndApply(config)
        var meta = FeedMetadata(source: "S", type: .stream)
        let committed = "year=2025/month=01/day=02/data_x.parquet"
        meta.files = [.init(path: committed, rows: 1, bytes: 4, exportedAt: "x")]
        meta.pending = [committed]
        dir.write("data_lake/streams/s/_metadata.json", meta.json.rendered())
        let session = try PlanSession.load(configPath: config)
        let plan = try session.plan(at: Self.now, includeExports: false)
        let (results, _) = try await Applier(storage: session.storage).apply(plan) { _ in }
        let failure = try #require(results.first { $0.error != nil }?.error)
        #expect(failure.contains("committed by the feed's metadata but neither staged nor present"))
    }

    @Test func sourcesSendsTheConfiguredCredentialsOnlyToTheConfiguredServer() throws {
        let dir = TempDirectory()
        let config = dir.makeProject(lake: "root: data_lake\nfeeds_dir: feeds.d\nksqldb:\n  url: http://ksqldb.internal:8088\n  auth:\n    user_env: HT_USER\n    password_env: HT_PASS\n", feeds: [:])
        setenv("HT_USER", "u", 1)
        setenv("HT_PASS", "p", 1)
        let desired = try DesiredStateLoader.load(configPath: config)
        #expect(try SourceListing.clientConfiguration(url: "http://ksqldb.internal:8088", desired: desired).credentials?.user == "u")
        #expect(try SourceListing.clientConfiguration(url: "http://elsewhere.example:8088", desired: desired).credentials == nil)
        #expect(try SourceListing.clientConfiguration(url: "http://ksqldb.internal:9999", desired: desired).credentials == nil)
    }

    @Test func anObjectStoreRootIsRefusedUntilSupported() throws {
        let dir = TempDirectory()
        let config = dir.makeProject(lake: "root: gs://bucket/lake\nfeeds_dir: feeds.d\n", feeds: [:])
        #expect(loadErrors(config, base: dir.path) == ["lake.yaml:1:7: error: root \"gs://bucket/lake\": gs:// lakes are not supported; use a local directory or s3://BUCKET/PREFIX"])
        #expect(!dir.exists("gs:"))
    }

    @Test func everyPlanFormatWarnsOfAnUncheckedCertificateAndCredentialsOverPlainHTTP() throws {
        let dir = TempDirectory()
        let config = dir.makeProject(lake: "root: data_lake\nfeeds_dir: feeds.d\nksqldb:\n  url: http://ksqldb.example:8088\n  auth:\n    user_env: U\n    password_env: P\n  tls:\n    insecure_skip_verify: true\n",
                                     feeds: ["s.yaml": streamFeed("s")])
        let session = try PlanSession.load(configPath: config)
        let plan = try session.plan(at: Self.now, includeExports: false)
        for text in [TextPlanRenderer(color: false).render(plan), MarkdownPlanRenderer().render(plan), JSONPlanRenderer().render(plan)] {
            #expect(text.contains("insecure_skip_verify is on"))
            #expect(text.contains("credentials go to ksqldb.example over plain http"))
        }
    }

    @Test func theLogOfAnApplyTouchingARestrictedFeedIsRestricted() async throws {
        let dir = TempDirectory()
        let config = dir.makeProject(feeds: ["s.yaml": streamFeed("s", extra: "access: restricted\n")])
        try await planAndApply(config, clock: Clock { Self.now })
        let log = dir.url("data_lake/logs/apply_20250601_000000.log")
        #expect(LocalFiles.kind(log)?.mode == 0o640)
    }

    @Test func aRestrictedFeedsFailedExportShowsNoRowContent() async throws {
        for access in ["internal", "restricted"] {
            let lake = try await LakeFixture(rows: 100, feeds: ["s.yaml": "feed_name: tx\nfeed_type: stream\nksqldb_source: transaction_stream\naccess: \(access)\n"])
            lake.emulator.setFaults(EmulatorFaults(malformedRowAt: 10))
            do {
                try await lake.apply(at: LakeFixture.date("2025-01-16T00:00:00Z"))
                Issue.record("a malformed row was exported")
            } catch {
                let text = "\(error)"
                #expect(text.contains("malformed"), "\(text)")
                if access == "restricted" {
                    #expect(text.contains("content not shown: the feed is restricted") && !text.contains("of the body:"), "\(text)")
                } else {
                    #expect(text.contains("of the body:"), "\(text)")
                }
            }
            await lake.stop()
        }
    }
}
