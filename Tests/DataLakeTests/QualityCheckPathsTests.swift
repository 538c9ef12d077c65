import Foundation
import Parquet
import Testing
@testable import DataLake
@testable import KsqlDBClient
import KsqlParquet

/// The two ways checks run give the same outcomes: row by row on the JSON line (quarantine, nested
/// schemas, `datalake check`) and on the writers' parsed batches (flat exports). Random rows with
/// every kind of failure, split over several writers as an export splits them over day files.
@Suite struct QualityCheckPathsTests {
    static let fields = [
        KsqlField(name: "ROWTIME", type: .bigint), KsqlField(name: "ID", type: .string), KsqlField(name: "USER_ID", type: .integer),
        KsqlField(name: "AMOUNT", type: .decimal(precision: 10, scale: 2)), KsqlField(name: "SCORE", type: .double),
        KsqlField(name: "METHOD", type: .string), KsqlField(name: "SEEN", type: .timestamp), KsqlField(name: "OK", type: .boolean),
        KsqlField(name: "BIG", type: .bigint),
    ]

    static let checks = [
        QualityCheck(.notNull(["ID", "USER_ID"])), QualityCheck(.notNull(["SCORE"]), severity: .warn),
        QualityCheck(.unique(["ID"])), QualityCheck(.unique(["USER_ID", "METHOD"])), QualityCheck(.unique(["SEEN"])),
        QualityCheck(.unique(["SCORE", "OK"])),
        QualityCheck(.acceptedValues(column: "METHOD", values: ["card", "cash", "Zürich", "say \"hi\"", ""])),
        QualityCheck(.acceptedValues(column: "ID", values: (0..<40).map { "id\($0)" })),
        QualityCheck(.range(column: "AMOUNT", min: 0, max: 99.99)), QualityCheck(.range(column: "SCORE", min: -1.5, max: nil)),
        QualityCheck(.range(column: "USER_ID", min: nil, max: 7)), QualityCheck(.range(column: "BIG", min: -9_007_199_254_740_992, max: 9_007_199_254_740_992)),
        QualityCheck(.rowCount(min: 10, max: nil)),
    ]

    /// A ksqlDB-rendered row with random nulls, duplicates, escapes, and values on both sides of each bound.
    static func row(_ n: Int, _ rng: inout SystemRandomNumberGenerator) -> String {
        func maybe(_ s: String, nulls: Int = 12) -> String { Int.random(in: 0..<nulls, using: &rng) == 0 ? "null" : s }
        let methods = [#""card""#, #""cash""#, #""Z\u00fcrich""#, #""say \"hi\"""#, #""""#, #""crypto""#, #""c\u0061rd""#]
        let id = maybe("\"id\(Int.random(in: 0..<60, using: &rng))\"")
        let user = maybe("\(Int.random(in: -3...10, using: &rng))")
        let cents = Int.random(in: -200...10_100, using: &rng)
        let amount = maybe((cents < 0 ? "-" : "") + "\(abs(cents) / 100)." + String(format: "%02d", abs(cents) % 100))
        let score = maybe(["-1.5", "-1.5000001", "0.1", "1.0E7", "-2", "3.25"].randomElement(using: &rng)!)
        let method = maybe(methods.randomElement(using: &rng)!)
        let seen = maybe("\"2025-01-0\(Int.random(in: 1...3, using: &rng))T10:00:0\(Int.random(in: 0...2, using: &rng)).000\"")
        let ok = maybe(Bool.random(using: &rng) ? "true" : "false")
        let big = maybe(["9007199254740993", "9007199254740995", "-9007199254740993", "42", "-9223372036854775808"].randomElement(using: &rng)!)
        return "[\(n),\(id),\(user),\(amount),\(score),\(method),\(seen),\(ok),\(big)]"
    }

    @Test func rowsAndBatchesGiveTheSameOutcomes() throws {
        #expect(KsqlParquetWriter.parsesFlatBatches(Self.fields) == (ProcessInfo.processInfo.activeProcessorCount >= 2))
        guard KsqlParquetWriter.parsesFlatBatches(Self.fields) else { return }
        var rng = SystemRandomNumberGenerator()
        for round in 0..<5 {
            let count = [25, 9000, 20_000, 3, 20_000][round]
            let files = round == 4 ? 1 : 3
            let lines = (1...count).map { Self.row($0, &rng) }
            let byRow = try QualityCheckRunner(checks: Self.checks, fields: Self.fields, feed: "t")
            for (i, l) in lines.enumerated() { _ = Array(l.utf8).withUnsafeBytes { byRow.observe($0, row: i + 1) } }

            let byBatch = try QualityCheckRunner(checks: Self.checks, fields: Self.fields, feed: "t")
            #expect(byBatch.checksBatches(fields: Self.fields, quarantine: false))
            #expect(!byBatch.checksBatches(fields: Self.fields, quarantine: true))
            // Three "day files": rows dealt out at random, so batches arrive out of row order.
            let writers = try (0..<files).map { _ in
                let w = try KsqlParquetWriter(fields: Self.fields, sink: ParquetMemorySink())
                w.onFlatBatch = { byBatch.observe(batch: $0) }
                return w
            }
            for (i, l) in lines.enumerated() {
                try Array(l.utf8).withUnsafeBytes { try writers[Int.random(in: 0..<files, using: &rng)].append(line: $0, tag: i + 1) }
            }
            for w in writers { _ = try w.finish() }

            let a = byRow.outcomes(newestEvent: nil, now: 0), b = byBatch.outcomes(newestEvent: nil, now: 0)
            #expect(a.count == Self.checks.count)
            for (x, y) in zip(a, b) {
                // Of two equal values in two day files, the one whose batch came first is kept: with
                // one file both paths name the same repeats, with several the same number of them.
                if case .unique = x.check.rule, files > 1 {
                    #expect(x.failed == y.failed && x.firstRows.count == y.firstRows.count, "round \(round): \(x.summary) vs \(y.summary)")
                } else {
                    #expect(x == y, "round \(round): \(x.summary) vs \(y.summary)")
                }
            }
            // The data is random but not kind: at 9000 rows every row check fails somewhere.
            if count >= 9000 { #expect(a.filter { !$0.check.columns.isEmpty }.allSatisfy { !$0.passed }, "\(a.map(\.summary))") }
        }
    }

    @Test func aFingerprintSetFindsTheSameRepeatsOneByOneAndInBatches() {
        var one = FingerprintSet(capacity: 4), many = FingerprintSet(capacity: 4)
        var rng = SystemRandomNumberGenerator()
        for size in [1, 7, 5000, 70_000, 3] {
            // Few distinct values: repeats within a batch and across batches; 0 is a value too.
            let values = (0..<size).map { _ in UInt64.random(in: 0..<UInt64(size / 2 + 2), using: &rng) &* 0x9E37_79B9_7F4A_7C15 }
            let expected = values.indices.filter { !one.insert(values[$0]) }
            var found: [Int] = []
            values.withUnsafeBufferPointer { many.insert($0) { found.append($0) } }
            #expect(found == expected)
            #expect(many.count == one.count)
        }
    }

    @Test func aNullIsNotADuplicate() throws {
        let fields = [KsqlField(name: "ROWTIME", type: .bigint), KsqlField(name: "A", type: .string), KsqlField(name: "B", type: .integer)]
        let runner = try QualityCheckRunner(checks: [QualityCheck(.unique(["A"])), QualityCheck(.unique(["A", "B"]))], fields: fields, feed: "t")
        let lines = [#"[1,null,1]"#, #"[2,null,1]"#, #"[3,"x",null]"#, #"[4,"x",null]"#, #"[5,"x",2]"#]
        for (i, l) in lines.enumerated() { _ = Array(l.utf8).withUnsafeBytes { runner.observe($0, row: i + 1) } }
        let outcomes = runner.outcomes(newestEvent: nil, now: 0)
        #expect(outcomes[0].firstRows == [4, 5], "unique(A): nulls are not compared; x repeats at rows 4 and 5")
        #expect(outcomes[1].passed, "unique(A, B): rows with a null are not compared")
    }
}
