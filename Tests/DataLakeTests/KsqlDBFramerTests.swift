import Testing
@testable import DataLake
import DataLakeTestSupport
@testable import KsqlDBClient
@testable import KsqlParquet
@testable import LakeStorage

/// The query-response framing, on byte vectors from ksqlDB's own tests (shared notes §4, §5), fed
/// whole, split in two at every position, and one byte at a time: the result must never change.
@Suite struct KsqlDBFramerTests {
    struct Outcome: Equatable {
        var header: KsqlQueryHeader?
        var rows: [String] = []
        var batches = 0
        var finalMessage: String?
        var bytes = 0
    }

    static func run(_ body: String, _ format: KsqlQueryFramer.Format, chunks sizes: [Int]) throws -> Outcome {
        var delivered = 0
        return try run(body, format, chunks: sizes, delivered: &delivered)
    }

    static func run(_ body: String, _ format: KsqlQueryFramer.Format, chunks sizes: [Int], delivered: inout Int) throws -> Outcome {
        var framer = KsqlQueryFramer(format: format)
        var outcome = Outcome()
        let all = Array(body.utf8)
        var start = 0
        var headers = 0
        let onHeader: (KsqlQueryHeader) throws -> Void = { header in
            headers += 1
            outcome.header = header
        }
        let onRows: (KsqlRowBatch) throws -> Void = { batch in
            #expect(!batch.isEmpty, "never an empty batch")
            outcome.batches += 1
            batch.forEachLine { line in outcome.rows.append(String(decoding: line, as: UTF8.self)) }
            delivered = outcome.rows.count
        }
        for size in sizes where start < all.count {
            var chunk = Array(all[start..<min(all.count, start + size)])
            start += chunk.count
            try framer.consume(&chunk, onHeader: onHeader, onRows: onRows)
            #expect(chunk.isEmpty, "the chunk is handed back empty for reuse")
        }
        if start < all.count {
            var rest = Array(all[start...])
            try framer.consume(&rest, onHeader: onHeader, onRows: onRows)
        }
        try framer.finish(onHeader: onHeader, onRows: onRows)
        #expect(headers == 1, "onHeader is called exactly once")
        #expect(framer.rows == outcome.rows.count)
        outcome.finalMessage = framer.finalMessage
        outcome.bytes = framer.bytes
        return outcome
    }

    /// Runs `body` whole, split at every position, and byte by byte; checks all agree and returns it.
    static func runEverySplit(_ body: String, _ format: KsqlQueryFramer.Format) throws -> Outcome {
        let n = body.utf8.count
        var whole = try run(body, format, chunks: [n])
        for cut in 0...n {
            var split = try run(body, format, chunks: [cut, n])
            split.batches = whole.batches
            #expect(split == whole, "split at \(cut)")
        }
        var bytewise = try run(body, format, chunks: Array(repeating: 1, count: n))
        bytewise.batches = whole.batches
        #expect(bytewise == whole, "one byte per chunk")
        whole.batches = 0
        return whole
    }

    /// The error `body` gives, checked to be the same for every split.
    static func failure(_ body: String, _ format: KsqlQueryFramer.Format, rowsBefore: Int = 0) -> KsqlDBError? {
        let n = body.utf8.count
        var first: KsqlDBError?
        for sizes in [[n]] + (0...n).map({ [$0, n] }) + [Array(repeating: 1, count: n)] {
            var delivered = 0
            do {
                _ = try run(body, format, chunks: sizes, delivered: &delivered)
                Issue.record("no error for chunks \(sizes.prefix(2))")
                return nil
            } catch let error as KsqlDBError {
                #expect(delivered == rowsBefore, "rows before the failure, chunks \(sizes.prefix(2))")
                if let first { #expect(error == first, "same error for chunks \(sizes.prefix(2))") } else { first = error }
            } catch {
                Issue.record("unexpected \(error)")
                return nil
            }
        }
        return first
    }

    // MARK: delimited (/query-stream)

    @Test func delimitedVectorFromRestApiTest() throws {
        let body = """
        {"queryId":"XYZ","columnNames":["COUNT","USERID"],"columnTypes":["BIGINT","STRING"]}
        [1,"USER_0"]
        [1,"USER_1"]
        [2,"USER_2"]
        [2,"USER_3"]
        [1,"USER_4"]

        """
        let outcome = try Self.runEverySplit(body, .delimited)
        #expect(outcome.header == KsqlQueryHeader(queryId: "XYZ", columns: [
            KsqlField(name: "COUNT", type: .bigint), KsqlField(name: "USERID", type: .string),
        ]))
        #expect(outcome.rows == [#"[1,"USER_0"]"#, #"[1,"USER_1"]"#, #"[2,"USER_2"]"#, #"[2,"USER_3"]"#, #"[1,"USER_4"]"#])
        #expect(outcome.bytes == body.utf8.count)
    }

    @Test func delimitedTypesFromIssue10638AndNestedTypes() throws {
        let body = #"{"queryId":"transient_TICKET_SALES_6527111408917527410","columnNames":["PURCHASER_NAME","TICKET_DATE","SHOWTIME","PURCHASE_TIMESTAMP","S","M","D"],"columnTypes":["STRING","DATE","TIME","TIMESTAMP","STRUCT<`F1` ARRAY<STRING>, `F2` DECIMAL(4, 2)>","MAP<STRING, INTEGER>","DECIMAL(10, 2)"]}"#
            + "\n" + #"["Alice","2003-10-20","00:00:12","1970-01-01T03:25:43.335",{"F1":["a]","b"],"F2":1.50},{"k":1},12.30]"# + "\n"
        let outcome = try Self.runEverySplit(body, .delimited)
        #expect(outcome.header?.queryId == "transient_TICKET_SALES_6527111408917527410")
        #expect(outcome.header?.columns.map(\.type) == [
            .string, .date, .time, .timestamp,
            .struct([KsqlField(name: "F1", type: .array(.string)), KsqlField(name: "F2", type: .decimal(precision: 4, scale: 2))]),
            .map(key: .string, value: .integer), .decimal(precision: 10, scale: 2),
        ])
        #expect(outcome.rows == [#"["Alice","2003-10-20","00:00:12","1970-01-01T03:25:43.335",{"F1":["a]","b"],"F2":1.50},{"k":1},12.30]"#])
    }

    @Test func delimitedSkipsBlankLinesCarriageReturnsAndTokensAndAcceptsAMissingLastNewline() throws {
        let body = "{\"queryId\":null,\"columnNames\":[\"A\"],\"columnTypes\":[\"INTEGER\"]}\r\n\n[1]\r\n\n\n"
            + "{\"consistencyToken\":\"abc\"}\n  [2]  \n{\"continuationToken\":\"t\"}\n[3]"
        let outcome = try Self.runEverySplit(body, .delimited)
        #expect(outcome.header == KsqlQueryHeader(queryId: nil, columns: [KsqlField(name: "A", type: .integer)]))
        #expect(outcome.rows == ["[1]", "[2]", "[3]"])
    }

    @Test func delimitedHeaderOnlyIsAnEmptyResult() throws {
        let outcome = try Self.runEverySplit(#"{"queryId":"q","columnNames":[],"columnTypes":[]}"# + "\n", .delimited)
        #expect(outcome.header == KsqlQueryHeader(queryId: "q", columns: []))
        #expect(outcome.rows.isEmpty)
    }

    @Test func delimitedMidStreamErrorFailsTheQuery() {
        let body = #"{"queryId":"q","columnNames":["A"],"columnTypes":["INTEGER"]}"# + "\n[1]\n[2]\n"
            + #"{"@type":"generic_error","error_code":50000,"message":"java.lang.RuntimeException: boom"}"# + "\n"
        let error = Self.failure(body, .delimited, rowsBefore: 2)
        #expect(error == KsqlDBError(.midStream(errorCode: 50000),
                                     "ksqlDB failed the query after 2 rows (error 50000): java.lang.RuntimeException: boom"))
    }

    @Test func delimitedMalformedBodies() {
        let header = #"{"queryId":"q","columnNames":["A"],"columnTypes":["STRING"]}"# + "\n"
        #expect(Self.failure("", .delimited)
            == KsqlDBError(.malformed, "ksqlDB ended the query response without sending anything (no header)"))
        #expect(Self.failure("\n\n", .delimited)
            == KsqlDBError(.malformed, "ksqlDB ended the query response without sending its header"))
        #expect(Self.failure("[1]\n", .delimited)
            == KsqlDBError(.malformed, "ksqlDB sent a malformed query response: a row before the header at line 1 of the body: [1]"))
        #expect(Self.failure(header + "[\"a\"]\nnot json\n", .delimited, rowsBefore: 1)
            == KsqlDBError(.malformed, "ksqlDB sent a malformed query response: a line that is neither a row nor an object at line 3 of the body: not json"))
        #expect(Self.failure(header + "[\"a\",\n", .delimited)
            == KsqlDBError(.malformed, "ksqlDB sent a malformed query response: an incomplete row at line 2 of the body: [\"a\","))
        // A last line cut inside a string that happens to end in `]`.
        #expect(Self.failure(header + "[\"a]", .delimited)
            == KsqlDBError(.malformed, "ksqlDB sent a malformed query response: an incomplete row at line 2 of the body: [\"a]"))
        #expect(Self.failure(header + header, .delimited)
            == KsqlDBError(.malformed, "ksqlDB sent a malformed query response: a second header at line 2 of the body: " + header.dropLast()))
        #expect(Self.failure(header + "{\"what\":1}\n", .delimited)
            == KsqlDBError(.malformed, "ksqlDB sent a malformed query response: an unknown object at line 2 of the body: {\"what\":1}"))
        #expect(Self.failure(#"{"queryId":"q","columnNames":["A"],"columnTypes":["FLOAT"]}"# + "\n", .delimited)?.kind == .malformed)
    }

    // MARK: legacy (/query)

    @Test func legacyStreamPullWithFinalMessage() throws {
        let body = """
        [{"header":{"queryId":"XYZ","schema":"`USERID` STRING, `PAGEID` STRING, `VIEWTIME` BIGINT"}},
        {"row":{"columns":["USER_1","PAGE_1",1]}},
        {"row":{"columns":["USER_2","PAGE_2",2]}},
        {"finalMessage":"Query Completed"}]

        """
        let outcome = try Self.runEverySplit(body, .legacy)
        #expect(outcome.header == KsqlQueryHeader(queryId: "XYZ", columns: [
            KsqlField(name: "USERID", type: .string), KsqlField(name: "PAGEID", type: .string),
            KsqlField(name: "VIEWTIME", type: .bigint),
        ]))
        #expect(outcome.rows == [#"["USER_1","PAGE_1",1]"#, #"["USER_2","PAGE_2",2]"#])
        #expect(outcome.finalMessage == "Query Completed")
    }

    @Test func legacyTablePullEndsWithTheLastRowAndItsBracket() throws {
        let body = "[{\"header\":{\"queryId\":\"query_1\",\"schema\":\"`COUNT` BIGINT, `USERID` STRING KEY\"}},\n"
            + "{\"row\":{\"columns\":[1,\"USER_1\"]}},\n{\"row\":{\"columns\":[2,\"x]}\"]}}]\n"
        let outcome = try Self.runEverySplit(body, .legacy)
        #expect(outcome.header?.columns == [KsqlField(name: "COUNT", type: .bigint), KsqlField(name: "USERID", type: .string)])
        #expect(outcome.rows == [#"[1,"USER_1"]"#, #"[2,"x]}"]"#])
        #expect(outcome.finalMessage == nil)
    }

    @Test func legacyEmptyResultIsTheHeaderAlone() throws {
        let body = "[{\"header\":{\"queryId\":\"query_1644571334010\",\"schema\":\"`K` INTEGER KEY, `VS` ARRAY<INTEGER>\"}}]"
        let outcome = try Self.runEverySplit(body, .legacy)
        #expect(outcome.header == KsqlQueryHeader(queryId: "query_1644571334010", columns: [
            KsqlField(name: "K", type: .integer), KsqlField(name: "VS", type: .array(.integer)),
        ]))
        #expect(outcome.rows.isEmpty)
    }

    @Test func legacyQuirksKeepAlivesTrailingCommaTombstonesSourceHost() throws {
        // 0.23.x stream pull: blank keep-alive lines, no finalMessage, a trailing comma and no `]`.
        let body = "[{\"header\":{\"queryId\":\"q\",\"schema\":\"`S` STRUCT<`A` STRING, `B` DECIMAL(4, 2)>, `N` INTEGER\"}},\n"
            + "\n\n{\"row\":{\"columns\":[{\"A\":\"x\",\"B\":1.25},1]}},\n\n"
            + "{\"row\":{\"columns\":[null],\"tombstone\":true}},\n"
            + "{\"row\":{\"columns\":[{\"A\":null,\"B\":null},2]},\"sourceHost\":\"host:80\"},\n"
            + "{\"consistencyToken\":{\"consistencyToken\":\"t\"}},\n"
        let outcome = try Self.runEverySplit(body, .legacy)
        #expect(outcome.header?.columns == [
            KsqlField(name: "S", type: .struct([KsqlField(name: "A", type: .string),
                                                KsqlField(name: "B", type: .decimal(precision: 4, scale: 2))])),
            KsqlField(name: "N", type: .integer),
        ])
        #expect(outcome.rows == [#"[{"A":"x","B":1.25},1]"#, #"[{"A":null,"B":null},2]"#])
    }

    @Test func legacyErrorWithoutClosingBracketFailsTheQuery() {
        let body = "[{\"header\":{\"queryId\":\"q\",\"schema\":\"`A` INTEGER\"}},\n{\"row\":{\"columns\":[1]}},\n"
            + "\n{\"errorMessage\":{\"@type\":\"generic_error\",\"error_code\":50000,\"message\":\"lost\"}},\n"
        #expect(Self.failure(body, .legacy, rowsBefore: 1)
            == KsqlDBError(.midStream(errorCode: 50000), "ksqlDB failed the query after 1 rows (error 50000): lost"))
    }

    @Test func legacyMalformedBodies() {
        #expect(Self.failure("[{\"row\":{\"columns\":[1]}}]\n", .legacy)
            == KsqlDBError(.malformed, "ksqlDB sent a malformed query response: a row before the header at line 1 of the body: [{\"row\":{\"columns\":[1]}}]"))
        let header = "[{\"header\":{\"queryId\":\"q\",\"schema\":\"`A` INTEGER\"}},\n"
        #expect(Self.failure(header + "{\"row\":{\"columns\":[1}},\n", .legacy)
            == KsqlDBError(.malformed, "ksqlDB sent a malformed query response: a row whose columns are not an array at line 2 of the body: {\"row\":{\"columns\":[1}},"))
        #expect(Self.failure(header + "{\"other\":1},\n", .legacy)
            == KsqlDBError(.malformed, "ksqlDB sent a malformed query response: an unknown element at line 2 of the body: {\"other\":1},"))
        #expect(Self.failure(header + "[1,2]\n", .legacy)
            == KsqlDBError(.malformed, "ksqlDB sent a malformed query response: a line that is not an element at line 2 of the body: [1,2]"))
    }

    @Test func batchesShareOneBufferAndExposeExactLineBytes() throws {
        var framer = KsqlQueryFramer(format: .delimited)
        var chunk = Array((#"{"queryId":"q","columnNames":["A"],"columnTypes":["STRING"]}"# + "\n[\"é\"]\n\n[\"b\"]\n[\"c").utf8)
        var seen: [KsqlRowBatch] = []
        try framer.consume(&chunk, onHeader: { _ in }, onRows: { seen.append($0) })
        #expect(seen.count == 1)
        #expect(seen[0].count == 2)
        #expect(seen[0].string(at: 0) == "[\"é\"]")
        #expect(seen[0].withLine(at: 1) { Array($0) } == Array("[\"b\"]".utf8))
        var rest = Array("\"]\n".utf8)
        try framer.consume(&rest, onHeader: { _ in }, onRows: { seen.append($0) })
        try framer.finish(onHeader: { _ in }, onRows: { seen.append($0) })
        #expect(seen.count == 2)
        #expect(seen[1].string(at: 0) == "[\"c\"]")
        // The first batch was kept by the consumer: it must still read its own rows.
        #expect(seen[0].string(at: 1) == "[\"b\"]")
    }
}
