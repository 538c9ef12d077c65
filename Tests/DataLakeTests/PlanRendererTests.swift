import Testing
@testable import DataLake
import DataLakeTestSupport
@testable import KsqlDBClient
@testable import KsqlParquet
@testable import LakeStorage

@Suite struct PlanRendererTests {
    static let plan = Plan(createdAt: "2026-01-01T00:00:00Z", configDigest: "sha256:c", registryDigest: "sha256:r", actions: [
        PlanAction(kind: .register, feed: "s", feedType: .stream, spec: FeedSpec(name: "s", type: .stream, source: "S", retentionDays: 365, timestampColumn: "ROWTIME")),
        PlanAction(kind: .update, feed: "t", feedType: .table, changes: [FieldChange(field: "versions_to_keep", before: "7", after: "3")],
                   spec: FeedSpec(name: "t", type: .table, source: "T", versionsToKeep: 3)),
        PlanAction(kind: .archive, feed: "old", feedType: .stream, spec: FeedSpec(name: "old", type: .stream, source: "OLD", retentionDays: 365, timestampColumn: "ROWTIME"),
                   reason: "no feed file declares it"),
    ])

    @Test func textIsTerraformLike() {
        #expect(TextPlanRenderer(color: false).render(Self.plan) == """
            datalake will perform the following actions:

              + register stream s (ksqlDB S)
              ~ update table t
                  versions_to_keep: 7 → 3
              > archive stream old — data is kept (no feed file declares it)

            Plan: 1 to register, 1 to update, 1 to archive.

            """)
    }

    @Test func colorOnlyWhenAsked() {
        #expect(TextPlanRenderer(color: true).render(Self.plan).contains("\u{1B}[32m+\u{1B}[0m register"))
        #expect(!TextPlanRenderer(color: false).render(Self.plan).contains("\u{1B}"))
    }

    @Test func markdownPutsTheSummaryFirstAndFoldsDetails() {
        let md = MarkdownPlanRenderer().render(Self.plan)
        #expect(md.hasPrefix("### datalake plan\n\n**Plan: 1 to register, 1 to update, 1 to archive.**\n"))
        #expect(md.contains("| register | 1 |"))
        #expect(md.contains("<details><summary>Details (3 actions)</summary>"))
        #expect(md.contains("!     versions_to_keep: 7 → 3"))
    }

    @Test func markdownMarksDataActionsApartFromRegistrations() {
        let stream = FeedSpec(name: "s", type: .stream, source: "S", retentionDays: 365, timestampColumn: "ROWTIME")
        let table = FeedSpec(name: "t", type: .table, source: "T", versionsToKeep: 3)
        let plan = Plan(createdAt: "2026-01-01T00:00:00Z", configDigest: "sha256:c", registryDigest: "sha256:r", actions: [
            PlanAction(kind: .register, feed: "s", feedType: .stream, spec: stream),
            PlanAction(kind: .export, feed: "s", feedType: .stream, spec: stream),
            PlanAction(kind: .snapshot, feed: "t", feedType: .table, spec: table),
            PlanAction(kind: .prune, feed: "t", feedType: .table, spec: table),
        ])
        let md = MarkdownPlanRenderer().render(plan)
        let block = md.components(separatedBy: "```diff\n")[1].components(separatedBy: "```")[0]
        let lines = block.split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        #expect(lines[0].hasPrefix("+ register stream s"))
        // A space first: plain in GitHub's diff colouring, where + would read as a new resource.
        #expect(lines[1].hasPrefix("  → export stream s"))
        #expect(lines[2].hasPrefix("  → snapshot table t"))
        #expect(lines[3].hasPrefix("- prune table t"))
    }

    @Test func jsonRoundTripsThroughAPlanFile() throws {
        let dir = TempDirectory()
        let path = dir.write("plan.json", JSONPlanRenderer().render(Self.plan))
        let loaded = try Plan.load(path)
        #expect(loaded.configDigest == "sha256:c" && loaded.registryDigest == "sha256:r")
        #expect(loaded.actions.map(\.kind) == [.register, .update, .archive])
        #expect(loaded.actions[1].changes == Self.plan.actions[1].changes)
        #expect(loaded.actions.map(\.spec) == Self.plan.actions.map(\.spec))
        #expect(loaded.actions[2].reason == "no feed file declares it")
        let json = JSONPlanRenderer().render(Self.plan)
        #expect(json.contains("\"format_version\": 1"))
        #expect(json.contains("\"register\": 1"))
    }

    @Test func planFileWithAnotherFormatVersionIsRefused() {
        let dir = TempDirectory()
        let path = dir.write("plan.json", "{\"format_version\": 9, \"config_digest\": \"x\", \"registry_digest\": \"y\", \"actions\": []}")
        #expect(throws: DiagnosticsError.self) { try Plan.load(path) }
    }
}
