import Foundation
import KsqlDBClient

/// `datalake check FEED…`: runs what the feed's next export or snapshot would read and every check
/// of its feed file on it, writing nothing: a way to try a check on live data before enabling it.
package struct QualityCheckDryRun {
    package var session: PlanSession
    package var client: KsqlDBClient
    package var clock: Clock

    package init(session: PlanSession, client: KsqlDBClient, clock: Clock = .system) {
        self.session = session
        self.client = client
        self.clock = clock
    }

    /// The outcomes of `feed`'s checks on the rows its next export (a stream: from where the
    /// metadata's window starts, to now) or snapshot (a table: all of it) would read.
    package func run(_ feed: String) async throws -> [CheckOutcome] {
        guard let spec = session.desired.feed(named: feed)?.spec else { throw DataLakeError("no feed named \"\(feed)\" in the configuration") }
        guard !spec.checks.isEmpty else { throw DataLakeError("feed \(feed) has no checks (add `checks:` to its feed file)") }
        let metadata = session.lake.feeds[feed]?.metadata
        let now = Int64(clock.now().timeIntervalSince1970 * 1000)
        let sql: String
        if spec.type == .stream {
            let from = Planner.windowStart(spec: spec, metadata: metadata)
            sql = "SELECT ROWTIME, * FROM \(spec.source) WHERE " + (from.map { "ROWTIME >= \($0) AND " } ?? "") + "ROWTIME < \(now);"
        } else {
            sql = "SELECT * FROM \(spec.source);"
        }
        var runner: QualityCheckRunner?
        var row = 0
        var newest = metadata?.files.compactMap(\.maxTime).max()
        var timeIndex = 0
        _ = try await client.streamQuery(sql, onHeader: { header in
            runner = try QualityCheckRunner(checks: spec.checks, fields: header.columns, feed: "check \(feed)")
            if spec.type == .stream, let column = spec.timestampColumn {
                timeIndex = header.columns.firstIndex { $0.name.uppercased() == column.uppercased() } ?? 0
            }
        }, onRows: { batch in
            batch.forEachLine { line in
                row += 1
                runner?.observe(line, row: row)
                if spec.type == .stream, let t = RowFields.element(line, timeIndex).flatMap(RowFields.epochMillis) ?? RowFields.leadingInt64(line) {
                    let ms = spec.timestampUnit == .s && timeIndex != 0 ? t &* 1000 : t
                    if newest.map({ ms > $0 }) ?? true { newest = ms }
                }
            }
        })
        guard let runner else { throw DataLakeError("check \(feed): ksqlDB sent no header") }
        return runner.outcomes(newestEvent: newest, now: now)
    }
}
