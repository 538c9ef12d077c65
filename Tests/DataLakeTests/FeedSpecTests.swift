import Testing
@testable import DataLake
import DataLakeTestSupport
@testable import KsqlDBClient
@testable import KsqlParquet
@testable import LakeStorage

@Suite struct FeedSpecTests {
    /// The seed's own feed JSON (README, "Méthode 2"), byte for byte.
    static let seedJSON = """
        {
          "feed_name": "new_stream",
          "feed_type": "stream",
          "ksqldb_source": "new_stream_ksqldb",
          "description": "Description du nouveau stream",
          "partitioning": {
            "type": "date",
            "columns": ["year", "month", "day"]
          },
          "storage_mode": "append",
          "format": "parquet",
          "retention_days": 365,
          "enabled": true,
          "created_at": "2025-01-15T10:00:00Z"
        }
        """

    @Test func seedFeedJSONLoadsUnchanged() throws {
        let dir = TempDirectory()
        let config = dir.makeProject(feeds: ["new_stream.json": Self.seedJSON])
        let desired = try DesiredStateLoader.load(configPath: config)
        #expect(desired.feeds.count == 1)
        let spec = try #require(desired.feeds.first).spec
        #expect(spec == FeedSpec(name: "new_stream", type: .stream, source: "new_stream_ksqldb",
                                 description: "Description du nouveau stream", retentionDays: 365, enabled: true,
                                 createdAt: "2025-01-15T10:00:00Z", timestampColumn: "ROWTIME"))
    }

    @Test func defaultsComeFromLakeYAML() throws {
        let dir = TempDirectory()
        let config = dir.makeProject(lake: "defaults:\n  streams: {retention_days: 30, access: restricted}\n  tables: {versions_to_keep: 3}\n",
                                     feeds: ["s.yaml": streamFeed("s"), "t.yaml": tableFeed("t")])
        let desired = try DesiredStateLoader.load(configPath: config)
        let s = try #require(desired.feed(named: "s")).spec
        let t = try #require(desired.feed(named: "t")).spec
        #expect(s.retentionDays == 30 && s.access == .restricted && s.versionsToKeep == nil && s.timestampColumn == "ROWTIME")
        #expect(t.versionsToKeep == 3 && t.retentionDays == nil && t.access == .internal && t.storageMode == .overwrite)
        #expect(desired.config.root == dir.url("data_lake"))
    }

    @Test func severalFeedsPerFileInAllThreeShapes() throws {
        let dir = TempDirectory()
        let config = dir.makeProject(feeds: [
            "list.yaml": "- {feed_name: a, feed_type: stream, ksqldb_source: A}\n- {feed_name: b, feed_type: table, ksqldb_source: B}\n",
            "wrapped.yaml": "feeds:\n  - {feed_name: c, feed_type: stream, ksqldb_source: C}\n",
            "docs.yml": "feed_name: d\nfeed_type: stream\nksqldb_source: D\n---\nfeed_name: e\nfeed_type: table\nksqldb_source: E\n",
            "ignored.txt": "not a feed",
        ])
        let desired = try DesiredStateLoader.load(configPath: config)
        #expect(desired.feeds.map(\.spec.name) == ["a", "b", "c", "d", "e"])
        #expect(desired.feed(named: "e")?.location.line == 5)
    }

    @Test func shippedFeedsAreTheSeedsAndMatchTheEmbeddedDefaults() throws {
        // The repository's own lake.yaml and feeds.d must stay what `init` writes.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        let desired = try DesiredStateLoader.load(configPath: root + "/lake.yaml")
        let expected: [(String, FeedType, String, Int?, Int?)] = [
            ("payment_method_totals", .table, "Totaux par méthode", nil, 7),
            ("product_purchase_counts", .table, "Compteurs par produit", nil, 7),
            ("transaction_flattened", .stream, "Schéma aplati", 365, nil),
            ("transaction_stream", .stream, "Données brutes", 365, nil),
            ("transaction_stream_anonymized", .stream, "Anonymisé + EUR", 730, nil),
            ("transaction_stream_blacklisted", .stream, "Villes blacklistées", 365, nil),
            ("user_transaction_summary", .table, "Montants par utilisateur", nil, 7),
            ("user_transaction_summary_eur", .table, "Montants en EUR", nil, 7),
        ]
        #expect(desired.feeds.count == expected.count)
        for (def, want) in zip(desired.feeds, expected) {
            #expect(def.spec.name == want.0 && def.spec.type == want.1 && def.spec.description == want.2)
            #expect(def.spec.retentionDays == want.3 && def.spec.versionsToKeep == want.4)
        }
        #expect(try String(contentsOfFile: root + "/lake.yaml", encoding: .utf8) == DefaultConfig.lakeYAML)
        for file in DefaultConfig.feedFiles {
            #expect(try String(contentsOfFile: root + "/feeds.d/" + file.name, encoding: .utf8) == file.text)
        }
    }
}

import Foundation
