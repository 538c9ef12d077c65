import NIOCore
import Synchronization

/// Answers requests: routing, auth, content negotiation, and the non-streaming endpoints. Shared by
/// all connections; the per-connection handler streams the queries it returns.
final class EmulatorRouter: Sendable {
    let store: EmulatorStore
    let version: EmulatorServerVersion
    /// When set, every response carries a `date` header this many milliseconds off this machine's
    /// clock (a server whose clock is wrong, for a client's skew check); nil, the default, sends none.
    let dateHeaderOffset: Mutex<Int64?>
    let versionText: String
    private let credentials: String?
    private let forbiddenCredentials: Set<String>
    private let faults: Mutex<EmulatorFaults>
    private let queryCounter = Atomic<UInt64>(0)
    /// What `/emulator/queries` serves.
    let queryLog = EmulatorQueryLog()
    /// Close actions of running queries by id, for `/close-query`.
    private let openQueries = Mutex<[String: @Sendable () -> Void]>([:])

    init(configuration: EmulatorConfiguration, store: EmulatorStore) {
        self.store = store
        self.version = EmulatorServerVersion(configuration.serverVersion)
        self.versionText = configuration.serverVersion
        self.credentials = configuration.basicAuth.map { "\($0.user):\($0.password)" }
        self.forbiddenCredentials = Set(configuration.forbiddenUsers.map { "\($0.user):\($0.password)" })
        self.faults = Mutex(configuration.faults)
        self.dateHeaderOffset = Mutex(configuration.dateHeaderOffsetMillis)
    }

    var currentFaults: EmulatorFaults {
        get { faults.withLock { $0 } }
        set { faults.withLock { $0 = newValue } }
    }

    func register(queryId: String, close: @escaping @Sendable () -> Void) {
        openQueries.withLock { $0[queryId] = close }
    }

    func unregister(queryId: String) {
        _ = openQueries.withLock { $0.removeValue(forKey: queryId) }
    }

    func respond(to request: EmulatorRequest) -> EmulatorResponse {
        let route = (request.method, request.path)
        if route.1.hasPrefix("/emulator/") {
            return emulatorEndpoint(request)
        }
        if credentials != nil, route.1 != "/healthcheck", !route.1.hasPrefix("/v1/metadata") {
            switch authenticate(request) {
            case .allowed: break
            case .forbidden:
                return .json(403, KsqlEntities.genericError(code: 40300, message: "Forbidden"), contentType: nil)
            case .unauthorized:
                return .json(401, KsqlEntities.genericError(code: 40100, message: "Unauthorized"), contentType: nil,
                             extraHeaders: [("www-authenticate", "Basic realm=\"KsqlServer-Props\"")])
            }
        }
        switch route {
        case ("GET", "/"):
            return .text(307, "", headers: [("location", "/info")])
        case ("GET", "/info"):
            return controlEndpoint(request) { .json(200, KsqlEntities.info(version: self.versionText)) }
        case ("GET", "/healthcheck"):
            return controlEndpoint(request) { .json(200, KsqlEntities.healthcheck(rich: self.version.richHealthcheck)) }
        case ("GET", "/chc/live"), ("GET", "/chc/ready"):
            return .json(200, .object([]))
        case ("POST", "/ksql"):
            return controlEndpoint(request) { self.ksql(request) }
        case ("POST", "/query-stream"):
            return queryStream(request)
        case ("POST", "/query"):
            return legacyQuery(request)
        case ("POST", "/close-query"):
            return closeQuery(request)
        default:
            return .text(404, "Not Found")
        }
    }

    private enum Authentication { case allowed, forbidden, unauthorized }

    private func authenticate(_ request: EmulatorRequest) -> Authentication {
        guard let header = request.header("authorization"), header.lowercased().hasPrefix("basic "),
              let decoded = EmulatorBase64.decode(String(header.dropFirst(6)).trimmingSpaces) else { return .unauthorized }
        let presented = String(decoding: decoded, as: UTF8.self)
        if presented == credentials { return .allowed }
        return forbiddenCredentials.contains(presented) ? .forbidden : .unauthorized
    }

    private func controlEndpoint(_ request: EmulatorRequest, _ body: () -> EmulatorResponse) -> EmulatorResponse {
        switch MediaTypes.negotiate(request.header("accept"), produces: [MediaTypes.ksqlV1, MediaTypes.json]) {
        case .chosen: return body()
        case .notAcceptable: return .text(406, "Not Acceptable")
        case .notFound: return .text(404, "Not Found")
        }
    }

    private func parseBody(_ request: EmulatorRequest) throws(EmulatorError) -> EmulatorJSON {
        do {
            return try EmulatorJSON.parse(request.body, origin: "request body")
        } catch {
            throw .badRequest("Invalid JSON in request: \(error.description)")
        }
    }

    // MARK: /ksql

    private func ksql(_ request: EmulatorRequest) -> EmulatorResponse {
        do throws(EmulatorError) {
            let body = try parseBody(request)
            guard let text = body["ksql"]?.stringValue else {
                throw .badRequest("Invalid JSON in request: Missing required creator property 'ksql'")
            }
            let statements = try SQLParser.parse(text)
            // ksqlDB validates every statement before running any.
            for parsed in statements {
                if case .select = parsed.statement {
                    throw .wrongEndpoint(
                        "The following statement types should be issued to the websocket endpoint '/query':\n\t* PRINT\n\t* SELECT",
                        statementText: parsed.text)
                }
                try validate(parsed)
            }
            var entities: [EmulatorJSON] = []
            for parsed in statements {
                if let entity = try run(parsed) { entities.append(entity) }
            }
            return .json(200, .array(entities))
        } catch {
            let (status, body) = KsqlEntities.error(error)
            return .json(status, body)
        }
    }

    private func validate(_ parsed: SQLParsedStatement) throws(EmulatorError) {
        switch parsed.statement {
        case .describe(let name, _):
            guard store.schema(of: name) != nil else {
                throw .statement("Could not find STREAM/TABLE '\(name)' in the Metastore", statementText: parsed.text)
            }
        case .insert(let name, _, _):
            guard store.schema(of: name) != nil else {
                throw .statement("Cannot insert values into an unknown stream/table: \(name)", statementText: parsed.text)
            }
        default:
            break
        }
    }

    /// The statement's entity; nil for INSERT VALUES, which ksqlDB answers with no entity.
    private func run(_ parsed: SQLParsedStatement) throws(EmulatorError) -> EmulatorJSON? {
        switch parsed.statement {
        case .list(let kind, let extended):
            if extended {
                return KsqlEntities.sourceDescriptions(store.schemas.filter { $0.kind == kind }, extended: true, statementText: parsed.text)
            }
            return KsqlEntities.sourceList(store.schemas, kind: kind, statementText: parsed.text)
        case .describeAll(let kind, let extended):
            return KsqlEntities.sourceDescriptions(store.schemas.filter { $0.kind == kind }, extended: extended, statementText: parsed.text)
        case .describe(let name, let extended):
            guard let schema = store.schema(of: name) else {
                throw .statement("Could not find STREAM/TABLE '\(name)' in the Metastore", statementText: parsed.text)
            }
            return KsqlEntities.sourceDescription(schema, extended: extended, statementText: parsed.text)
        case .insert(let source, let columns, let values):
            try store.insertValues(source: source, columns: columns, values: values, statementText: parsed.text)
            return nil
        case .select:
            throw .wrongEndpoint("The following statement types should be issued to the websocket endpoint '/query':\n\t* PRINT\n\t* SELECT",
                                 statementText: parsed.text)
        }
    }

    // MARK: queries

    private func prepareQuery(text: String, offsetReset: String?) throws(EmulatorError) -> (EmulatorQuery, Int) {
        let statements = try SQLParser.parse(text)
        guard statements.count == 1 else {
            throw .statement("Expected exactly one KSQL statement; found \(statements.count) instead", statementText: text)
        }
        guard case .select(let select) = statements[0].statement else {
            throw .statement("Neither a query nor a print statement", statementText: statements[0].text)
        }
        let number = queryCounter.wrappingAdd(1, ordering: .relaxed).newValue
        let query = try EmulatorQuery(select, statementText: statements[0].text, store: store, queryNumber: number)
        // Push queries start at the end of the log unless asked for earliest, as ksqlDB's default is latest.
        let start = query.isPush && offsetReset != "earliest" ? query.rowCount : 0
        return (query, start)
    }

    private func faultResponse(_ faults: EmulatorFaults, contentType: String?) -> EmulatorResponse? {
        switch faults.failStatus {
        case 429?:
            return .json(429, KsqlEntities.genericError(code: 42900, message: "Host is at rate limit for pull queries. Currently set to 1.0 qps."),
                         contentType: contentType)
        case let status?:
            return .json(status, KsqlEntities.genericError(code: status * 100,
                message: "The server encountered an internal error when processing the query. Please consult the server logs for more information."),
                         contentType: contentType)
        case nil:
            return nil
        }
    }

    private func offsetReset(_ properties: EmulatorJSON?) -> String? {
        (properties?["auto.offset.reset"] ?? properties?["ksql.streams.auto.offset.reset"])?.stringValue?.lowercased()
    }

    private func queryStream(_ request: EmulatorRequest) -> EmulatorResponse {
        guard version.queryStreamOverHTTP1 else {
            return .json(400, KsqlEntities.genericError(code: 40004, message: "This endpoint is only available when using HTTP2"), contentType: nil)
        }
        let produces = [MediaTypes.delimited, MediaTypes.json, MediaTypes.ksqlV1]
        let contentType: String
        switch MediaTypes.negotiate(request.header("accept"), produces: produces) {
        case .chosen(let chosen): contentType = chosen
        case .notAcceptable: return .text(406, "Not Acceptable")
        case .notFound: return .text(404, "Not Found")
        }
        return runQuery(request, sqlField: "sql", propertiesField: "properties", errorContentType: nil) { query, start, faults in
            let framing: QueryFraming = contentType == MediaTypes.delimited ? .delimited : (contentType == MediaTypes.json ? .jsonArray : .streamedRow)
            return .query(query, framing: framing, contentType: contentType, fromOffset: start, faults: faults)
        }
    }

    private func legacyQuery(_ request: EmulatorRequest) -> EmulatorResponse {
        let produces = version.migratedQuery ? [MediaTypes.delimited, MediaTypes.ksqlV1, MediaTypes.json] : [MediaTypes.ksqlV1, MediaTypes.json]
        var contentType: String
        switch MediaTypes.negotiate(request.header("accept"), produces: produces) {
        case .chosen(let chosen): contentType = chosen
        case .notAcceptable: return .text(406, "Not Acceptable")
        case .notFound: return .text(404, "Not Found")
        }
        let errorContentType: String? = version.migratedQuery ? nil : "application/json"
        return runQuery(request, sqlField: "ksql", propertiesField: "streamsProperties", errorContentType: errorContentType) { query, start, faults in
            let framing: QueryFraming
            if !version.migratedQuery {
                framing = .legacy(streamPullFinalMessage: version.streamPullFinalMessage)
                contentType = "application/json"
            } else {
                framing = contentType == MediaTypes.delimited ? .delimited : .streamedRow
            }
            return .query(query, framing: framing, contentType: contentType, fromOffset: start, faults: faults)
        }
    }

    /// Reads the statement from the body, validates it, applies a failStatus fault, then lets the
    /// endpoint choose the framing; errors come back in ksqlDB's shape.
    private func runQuery(_ request: EmulatorRequest, sqlField: String, propertiesField: String, errorContentType: String?,
                          _ respond: (EmulatorQuery, Int, EmulatorFaults) -> EmulatorResponse) -> EmulatorResponse {
        let faults = currentFaults
        do throws(EmulatorError) {
            let body = try parseBody(request)
            guard let sql = body[sqlField]?.stringValue else {
                throw .badRequest("Invalid JSON in request: Missing required creator property '\(sqlField)'")
            }
            let (query, start) = try prepareQuery(text: sql, offsetReset: offsetReset(body[propertiesField]))
            if let failure = faultResponse(faults, contentType: errorContentType) { return failure }
            queryLog.record(sql: sql, endpoint: request.path)
            return respond(query, start, faults)
        } catch {
            let (status, body) = KsqlEntities.error(error)
            return .json(status, body, contentType: errorContentType)
        }
    }

    private func closeQuery(_ request: EmulatorRequest) -> EmulatorResponse {
        let body: EmulatorJSON
        do {
            body = try parseBody(request)
        } catch {
            return .json(400, KsqlEntities.error(error).body, contentType: nil)
        }
        guard let id = body["queryId"]?.stringValue else {
            return .json(400, KsqlEntities.genericError(code: 40000, message: "Invalid JSON in request: Missing required creator property 'queryId'"), contentType: nil)
        }
        guard let close = openQueries.withLock({ $0.removeValue(forKey: id) }) else {
            return .json(400, KsqlEntities.genericError(code: 40000, message: "No query with id \(id)"), contentType: nil)
        }
        close()
        return .text(200, "")
    }

    // MARK: emulator-only

    private func emulatorEndpoint(_ request: EmulatorRequest) -> EmulatorResponse {
        switch (request.method, request.path) {
        case ("POST", "/emulator/faults"):
            do {
                let new = try EmulatorFaults(json: try parseBody(request))
                currentFaults = new
                return .json(200, new.json)
            } catch {
                return .json(400, KsqlEntities.error(error).body)
            }
        case ("GET", "/emulator/faults"):
            return .json(200, currentFaults.json)
        case ("GET", "/emulator/queries"):
            return .json(200, queryLog.json)
        case ("DELETE", "/emulator/queries"):
            queryLog.clear()
            return .json(200, queryLog.json)
        default:
            return .text(404, "Not Found")
        }
    }
}
