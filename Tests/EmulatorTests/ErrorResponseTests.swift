import Testing
@testable import KsqlDBEmulator

/// Error statuses, codes and body shapes (notes §1, §8, §9).
@Suite struct ErrorResponseTests {
    @Test func unknownSourceOnEveryEndpoint() async throws {
        try await EmulatorFixture.with(setup: EmulatorFixture.allTypesStore) { port, _ in
            let describe = try RawHTTP.request(port: port, path: "/ksql", body: #"{"ksql":"DESCRIBE nope;"}"#)
            #expect(describe.status == 400)
            #expect(describe.header("content-type") == "application/json")
            #expect(describe.body == #"{"@type":"statement_error","error_code":40001,"message":"Could not find STREAM/TABLE 'NOPE' in the Metastore","statementText":"DESCRIBE nope;","entities":[]}"#)
            let select = try EmulatorFixture.queryStream(port, "SELECT * FROM nope;")
            #expect(select.status == 400)
            #expect(select.header("content-type") == nil)
            #expect(select.body == #"{"@type":"statement_error","error_code":40001,"message":"NOPE does not exist.","statementText":"SELECT * FROM nope;","entities":[]}"#)
        }
    }

    @Test func selectOnKsqlEndpointIs40002() async throws {
        try await EmulatorFixture.with(setup: EmulatorFixture.allTypesStore) { port, _ in
            let response = try RawHTTP.request(port: port, path: "/ksql", body: #"{"ksql":"LIST STREAMS; SELECT * FROM all_types;"}"#)
            #expect(response.status == 400)
            #expect(response.body.hasPrefix(#"{"@type":"statement_error","error_code":40002,"message":"The following statement types should be issued to the websocket endpoint '/query':"#))
        }
    }

    @Test func requestShapeErrors() async throws {
        try await EmulatorFixture.with(setup: EmulatorFixture.allTypesStore) { port, _ in
            let missing = try RawHTTP.request(port: port, path: "/query-stream", body: #"{"ksql":"SELECT * FROM all_types;"}"#)
            #expect(missing.status == 400)
            #expect(missing.body == #"{"@type":"generic_error","error_code":40000,"message":"Invalid JSON in request: Missing required creator property 'sql'"}"#)
            let two = try EmulatorFixture.queryStream(port, "SELECT * FROM all_types; SELECT * FROM counts;")
            #expect(two.body.contains(#""error_code":40001,"message":"Expected exactly one KSQL statement; found 2 instead""#))
            let notQuery = try EmulatorFixture.queryStream(port, "LIST STREAMS;")
            #expect(notQuery.body.contains(#""message":"Neither a query nor a print statement""#))
            let syntax = try RawHTTP.request(port: port, path: "/ksql", body: #"{"ksql":"LIST STREAMS"}"#)
            #expect(syntax.status == 400)
            #expect(syntax.body.contains(#""error_code":40001,"message":"line 1:13: Syntax Error\nmismatched input '<EOF>' expecting ';'""#))
            let badJSON = try RawHTTP.request(port: port, path: "/ksql", body: "{nope")
            #expect(badJSON.status == 400)
            #expect(badJSON.body.hasPrefix(#"{"@type":"generic_error","error_code":40000,"message":"Invalid JSON in request: "#))
        }
    }

    @Test func pseudoColumnsAreRefusedInPullQueries() async throws {
        try await EmulatorFixture.with(setup: EmulatorFixture.allTypesStore) { port, _ in
            let select = try EmulatorFixture.queryStream(port, "SELECT ROWPARTITION, ROWOFFSET, K FROM all_types;")
            #expect(select.status == 400)
            #expect(select.body.contains(#""message":"Pull queries don't support the following columns in SELECT clauses: `ROWPARTITION`, `ROWOFFSET`"#))
            let filter = try EmulatorFixture.queryStream(port, "SELECT * FROM all_types WHERE ROWPARTITION = 0;")
            #expect(filter.body.contains(#"in WHERE clauses: `ROWPARTITION`"#))
            let unknown = try EmulatorFixture.queryStream(port, "SELECT NOPE FROM all_types;")
            #expect(unknown.body.contains(#""message":"SELECT column 'NOPE' cannot be resolved.""#))
        }
    }

    @Test func routingAndNegotiation() async throws {
        try await EmulatorFixture.with(setup: EmulatorFixture.allTypesStore) { port, _ in
            let missing = try RawHTTP.request(port: port, method: "GET", path: "/nothing")
            #expect(missing.status == 404)
            #expect(missing.body == "Not Found")
            let root = try RawHTTP.request(port: port, method: "GET", path: "/")
            #expect(root.status == 307)
            #expect(root.header("location") == "/info")
            let unsupported = try RawHTTP.request(port: port, path: "/query", body: #"{"ksql":"SELECT * FROM counts;"}"#,
                                                  headers: [("accept", "unsupported/type")])
            #expect(unsupported.status == 406)
            let unparsable = try EmulatorFixture.queryStream(port, "SELECT * FROM counts;", accept: "blahblah")
            #expect(unparsable.status == 404)
            let closeUnknown = try RawHTTP.request(port: port, path: "/close-query", body: #"{"queryId":"xyzfasgf"}"#)
            #expect(closeUnknown.status == 400)
            #expect(closeUnknown.body == #"{"@type":"generic_error","error_code":40000,"message":"No query with id xyzfasgf"}"#)
        }
    }

    @Test func basicAuth() async throws {
        let configuration = EmulatorConfiguration(basicAuth: (user: "fred", password: "s3cret"), forbiddenUsers: [("guest", "guest")])
        try await EmulatorFixture.with(configuration, setup: EmulatorFixture.allTypesStore) { port, _ in
            let anonymous = try RawHTTP.request(port: port, method: "GET", path: "/info")
            #expect(anonymous.status == 401)
            #expect(anonymous.body == #"{"@type":"generic_error","error_code":40100,"message":"Unauthorized"}"#)
            #expect(anonymous.header("www-authenticate")?.hasPrefix("Basic realm=") == true)
            // "fred:wrong" and "fred:s3cret" in base64.
            let wrong = try RawHTTP.request(port: port, method: "GET", path: "/info", headers: [("authorization", "Basic ZnJlZDp3cm9uZw==")])
            #expect(wrong.status == 401)
            let good = try RawHTTP.request(port: port, method: "GET", path: "/info", headers: [("authorization", "Basic ZnJlZDpzM2NyZXQ=")])
            #expect(good.status == 200)
            let query = try RawHTTP.request(port: port, path: "/query-stream", body: #"{"sql":"SELECT * FROM counts;"}"#,
                                            headers: [("authorization", "Basic ZnJlZDpzM2NyZXQ=")])
            #expect(query.chunks.count == 3)
            let health = try RawHTTP.request(port: port, method: "GET", path: "/healthcheck")
            #expect(health.status == 200)
            // "guest:guest": valid credentials without a role.
            let forbidden = try RawHTTP.request(port: port, method: "GET", path: "/info", headers: [("authorization", "Basic Z3Vlc3Q6Z3Vlc3Q=")])
            #expect(forbidden.status == 403)
            #expect(forbidden.body == #"{"@type":"generic_error","error_code":40300,"message":"Forbidden"}"#)
        }
    }
}
