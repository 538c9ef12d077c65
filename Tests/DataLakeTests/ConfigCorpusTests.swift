import Testing
@testable import DataLake
import DataLakeTestSupport
@testable import KsqlDBClient
@testable import KsqlParquet
@testable import LakeStorage

/// A corpus of broken configs, each with the exact `file:line:col: error: message` lines expected.
@Suite struct ConfigCorpusTests {
    static let feedCorpus: [(name: String, text: String, expected: [String])] = [
        ("typo.yaml", "feed_name: a\nfeed_type: stream\nksqldb_source: A\nretension_days: 3\n",
         ["feeds.d/typo.yaml:4:1: error: unknown key \"retension_days\" in feed (did you mean \"retention_days\"?)"]),
        ("badname.yaml", "feed_name: Bad-Name\nfeed_type: stream\nksqldb_source: A\n",
         ["feeds.d/badname.yaml:1:12: error: \"feed_name\" must match [a-z][a-z0-9_]* and be at most 64 characters, found \"Bad-Name\""]),
        ("escape.yaml", "feed_name: ../etc\nfeed_type: stream\nksqldb_source: A\n",
         ["feeds.d/escape.yaml:1:12: error: \"feed_name\" must match [a-z][a-z0-9_]* and be at most 64 characters, found \"../etc\""]),
        ("overwrite.yaml", "feed_name: s\nfeed_type: stream\nksqldb_source: S\nstorage_mode: overwrite\n",
         ["feeds.d/overwrite.yaml:4:15: error: a stream is exported append-only: \"storage_mode\" must be \"append\""]),
        ("append.yaml", "feed_name: t\nfeed_type: table\nksqldb_source: T\nstorage_mode: append\n",
         ["feeds.d/append.yaml:4:15: error: a table is exported as snapshots: \"storage_mode\" must be \"overwrite\""]),
        ("range.yaml", "feed_name: s\nfeed_type: stream\nksqldb_source: S\nretention_days: 0\n",
         ["feeds.d/range.yaml:4:17: error: \"retention_days\" must be between 1 and 36500, found 0"]),
        ("versions.yaml", "feed_name: t\nfeed_type: table\nksqldb_source: T\nversions_to_keep: many\n",
         ["feeds.d/versions.yaml:4:19: error: \"versions_to_keep\" must be an integer, found \"many\""]),
        ("streamversions.yaml", "feed_name: s\nfeed_type: stream\nksqldb_source: S\nversions_to_keep: 3\n",
         ["feeds.d/streamversions.yaml:4:1: error: \"versions_to_keep\" applies to tables only (streams use \"retention_days\")"]),
        ("dupkey.yaml", "feed_name: s\nfeed_type: stream\nksqldb_source: S\nenabled: true\nenabled: false\n",
         ["feeds.d/dupkey.yaml:5:1: error: duplicate key \"enabled\" (first set at line 4)"]),
        ("bool.yaml", "feed_name: s\nfeed_type: stream\nksqldb_source: S\nenabled: \"true\"\n",
         ["feeds.d/bool.yaml:4:10: error: \"enabled\" must be true or false, found the string \"true\""]),
        ("type.yaml", "feed_name: s\nfeed_type: steam\nksqldb_source: S\n",
         ["feeds.d/type.yaml:2:12: error: \"feed_type\" must be one of \"stream\", \"table\", found \"steam\" (did you mean \"stream\"?)"]),
        ("missing.yaml", "feed_name: s\nfeed_type: stream\n",
         ["feeds.d/missing.yaml:1:1: error: feed is missing the required key \"ksqldb_source\""]),
        ("syntax.yaml", "feed_name: s\n  oops: [\n",
         ["feeds.d/syntax.yaml:2:7: error: YAML syntax error: mapping values are not allowed in this context"]),
        ("scalar.yaml", "just text\n",
         ["feeds.d/scalar.yaml:1:1: error: a feed file holds a feed mapping or a list of feeds, found a scalar"]),
        ("partition.yaml", "feed_name: s\nfeed_type: stream\nksqldb_source: S\npartitioning: {type: date, columns: [year, month]}\n",
         ["feeds.d/partition.yaml:4:15: error: a stream is partitioned as {type: date, columns: [year, month, day]}"]),
        ("created.yaml", "feed_name: s\nfeed_type: stream\nksqldb_source: S\ncreated_at: yesterday\n",
         ["feeds.d/created.yaml:4:13: error: \"created_at\" must be an ISO-8601 time like 2025-01-15T10:00:00Z, found \"yesterday\""]),
        ("access.yaml", "feed_name: s\nfeed_type: stream\nksqldb_source: S\naccess: secret\n",
         ["feeds.d/access.yaml:4:9: error: \"access\" must be one of \"restricted\", \"internal\", \"public\", found \"secret\""]),
        ("tablets.yaml", "feed_name: t\nfeed_type: table\nksqldb_source: T\ntimestamp_column: TS\n",
         ["feeds.d/tablets.yaml:4:1: error: \"timestamp_column\" applies to streams only (tables are snapshots)"]),
        ("source.yaml", "feed_name: s\nfeed_type: stream\nksqldb_source: \"my source\"\n",
         ["feeds.d/source.yaml:3:16: error: \"ksqldb_source\" must be a ksqlDB identifier ([A-Za-z_][A-Za-z0-9_]*), found \"my source\""]),
        ("alias.yaml", "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n",
         ["feeds.d/alias.yaml:5:36: error: YAML document expands to more than 100000 nodes (aliases included)"]),
    ]

    @Test(arguments: feedCorpus.map(\.name))
    func brokenFeedFileGivesExactDiagnostics(name: String) throws {
        let case_ = Self.feedCorpus.first { $0.name == name }!
        let dir = TempDirectory()
        let config = dir.makeProject(feeds: [case_.name: case_.text])
        #expect(loadErrors(config, base: dir.path) == case_.expected)
    }

    @Test func everyErrorOfEveryFileIsReportedSorted() throws {
        let dir = TempDirectory()
        let config = dir.makeProject(feeds: [
            "b.yaml": "feed_name: b\nfeed_type: stream\nksqldb_source: B\nretention_days: -1\nfoo: 1\n",
            "a.yaml": "feed_name: a\nfeed_type: tabel\nksqldb_source: A\n",
        ])
        #expect(loadErrors(config, base: dir.path) == [
            "feeds.d/a.yaml:2:12: error: \"feed_type\" must be one of \"stream\", \"table\", found \"tabel\" (did you mean \"table\"?)",
            "feeds.d/b.yaml:4:17: error: \"retention_days\" must be between 1 and 36500, found -1",
            "feeds.d/b.yaml:5:1: error: unknown key \"foo\" in feed",
        ])
    }

    @Test func duplicateFeedNamesAcrossFilesNameTheFirstDefinition() {
        let dir = TempDirectory()
        let config = dir.makeProject(feeds: ["one.yaml": streamFeed("same"), "two.yml": "# again\n" + streamFeed("same")])
        #expect(loadErrors(config, base: dir.path) == [
            "feeds.d/two.yml:2:1: error: feed \"same\" is already defined at feeds.d/one.yaml:1:1",
        ])
    }

    @Test func lakeYAMLErrorsAndSecrets() {
        let dir = TempDirectory()
        let config = dir.makeProject(lake: """
            root: data_lake
            ksqldb:
              url: http://admin:hunter2@ksql:8088
              auth:
                user_env: KSQLDB_USER
                password: hunter2
            parquet:
              compression: snapy
            defaults:
              tables:
                versions_to_keep: 0

            """, feeds: [:])
        let errors = loadErrors(config, base: dir.path)
        #expect(errors == [
            "lake.yaml:3:8: error: \"url\" must not carry credentials: use ksqldb.auth.user_env and password_env",
            "lake.yaml:5:5: error: ksqldb.auth needs both \"user_env\" and \"password_env\"",
            "lake.yaml:6:5: error: ksqldb.auth.password would put a secret in git: name an environment variable with \"password_env\" instead",
            "lake.yaml:8:16: error: \"compression\" must be one of \"snappy\", \"zstd\", \"none\", found \"snapy\" (did you mean \"snappy\"?)",
            "lake.yaml:11:23: error: \"versions_to_keep\" must be between 1 and 1000, found 0",
        ])
        #expect(!errors.joined().contains("hunter2"), "a secret must never appear in an error")
    }

    @Test func oversizedFileIsRejected() {
        var parser = YAMLParser()
        parser.maxBytes = 100
        #expect(throws: Diagnostic.self) { try parser.parse(Array(String(repeating: "a: b\n", count: 50).utf8), file: "big.yaml") }
    }

    @Test func tooManyAliasesAreRejected() throws {
        let text = "a: &a x\nb: [" + Array(repeating: "*a", count: 101).joined(separator: ", ") + "]\n"
        do {
            _ = try YAMLParser().parse(Array(text.utf8), file: "f.yaml")
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "f.yaml:2:" + String(5 + 4 * 100) + ": error: too many YAML aliases (limit 100)")
        }
    }
}
