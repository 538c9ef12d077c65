import Testing
@testable import DataLake
import DataLakeTestSupport
@testable import KsqlDBClient
@testable import KsqlParquet
@testable import LakeStorage

/// Error bodies as ksqlDB sends them (shared notes §8) become one user-grade line each.
@Suite struct KsqlDBErrorTests {
    static func response(_ status: Int, _ body: String, request: String = "POST /query-stream") -> KsqlDBError {
        KsqlDBError.response(status: status, body: Array(body.utf8), request: request, endpoint: "db:8088")
    }

    @Test func unknownSourceNamesTheSource() {
        let describe = Self.response(400, #"{"@type":"statement_error","error_code":40001,"message":"Could not find STREAM/TABLE 'PAYMENTS' in the Metastore","statementText":"DESCRIBE PAYMENTS;","entities":[]}"#, request: "POST /ksql")
        #expect(describe == KsqlDBError(.http(status: 400, errorCode: 40001), "ksqlDB has no stream or table named PAYMENTS"))
        let select = Self.response(400, #"{"@type":"statement_error","error_code":40001,"message":"Exception while preparing statement: ORDERS does not exist.","statementText":"SELECT * FROM ORDERS;","entities":[]}"#)
        #expect(select.message == "ksqlDB has no stream or table named ORDERS")
        #expect(KsqlDBError.unknownSourceName(in: "`my stream` does not exist.") == "my stream")
        #expect(KsqlDBError.unknownSourceName(in: "line 1:15: mismatched input 'FORM'") == nil)
        #expect(KsqlDBError.unknownSourceName(in: "Column name AMOUNTT does not exist.") == nil)
    }

    @Test func otherStatementErrorsKeepKsqlDBsMessageOnOneLine() {
        let error = Self.response(400, #"{"@type":"statement_error","error_code":40001,"message":"Pull queries don't support LIMIT clauses.\nSee https://cnfl.io/queries for more info.","statementText":"x","entities":[]}"#)
        #expect(error == KsqlDBError(.http(status: 400, errorCode: 40001),
            "ksqlDB at db:8088 rejected POST /query-stream (HTTP 400, error 40001): Pull queries don't support LIMIT clauses. See https://cnfl.io/queries for more info."))
    }

    @Test func statusSpecificMessages() {
        #expect(Self.response(401, #"{"@type":"generic_error","error_code":40100,"message":"Unauthorized"}"#).message
            == "ksqlDB at db:8088 rejected the credentials (HTTP 401, error 40100): Unauthorized; check the configured ksqlDB user and password")
        #expect(Self.response(403, #"{"@type":"generic_error","error_code":40300,"message":"Forbidden"}"#).message
            == "ksqlDB at db:8088 denied POST /query-stream to this user (HTTP 403, error 40300): Forbidden")
        #expect(Self.response(404, "Not Found").message
            == "ksqlDB at db:8088 has no POST /query-stream (HTTP 404); is the URL a ksqlDB server?")
        #expect(Self.response(429, #"{"@type":"generic_error","error_code":42900,"message":"Host is at rate limit for pull queries. Currently set to 1.0 qps."}"#).message
            == "ksqlDB at db:8088 is rate-limiting queries (HTTP 429, error 42900): Host is at rate limit for pull queries. Currently set to 1.0 qps.; try again later")
        #expect(Self.response(503, #"{"@type":"generic_error","error_code":50302,"message":"KSQL is not yet ready to serve requests."}"#).message
            == "ksqlDB at db:8088 is not ready to serve requests (HTTP 503, error 50302): KSQL is not yet ready to serve requests.")
        let server = Self.response(500, #"{"@type":"generic_error","error_code":50000,"message":"The server encountered an internal error when processing the query."}"#)
        #expect(server == KsqlDBError(.http(status: 500, errorCode: 50000),
            "ksqlDB at db:8088 failed POST /query-stream (HTTP 500, error 50000): The server encountered an internal error when processing the query."))
        #expect(Self.response(502, "").message == "ksqlDB at db:8088 failed POST /query-stream (HTTP 502)")
    }

    @Test func http2OnlyAnswerIsRecognisable() {
        let error = Self.response(400, #"{"@type":"generic_error","error_code":40004,"message":"This endpoint is only available when using HTTP2"}"#)
        #expect(error.kind == .http(status: 400, errorCode: 40004))
    }

    @Test func sourceNamesBecomeSQLIdentifiers() {
        #expect(KsqlDBClient.sqlIdentifier("transaction_stream") == "transaction_stream")
        #expect(KsqlDBClient.sqlIdentifier("T2") == "T2")
        #expect(KsqlDBClient.sqlIdentifier("2T") == "`2T`")
        #expect(KsqlDBClient.sqlIdentifier("my-stream") == "`my-stream`")
        #expect(KsqlDBClient.sqlIdentifier("a`b") == "`a``b`")
    }
}
