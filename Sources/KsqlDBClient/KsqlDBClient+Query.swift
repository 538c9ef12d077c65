import AsyncHTTPClient
import NIOCore
import NIOHTTP1

extension KsqlDBClient {
    /// Runs a pull query over `/query-stream` (delimited format), falling back to the legacy `/query`
    /// endpoint when the server is older than 0.24 (it answers 40004 to HTTP/1.1 `/query-stream`).
    ///
    /// Calls `onHeader` once, then `onRows` with batches of complete row lines (`[…]`, blank lines
    /// removed), one batch at a time; the HTTP read pauses while the consumer is busy. Throws
    /// `KsqlDBError` on an error status, a mid-stream error line, malformed framing, or a connection
    /// that drops before the body completed; whatever `onHeader`/`onRows` throw ends the query and is
    /// rethrown. Rows handed over before a throw are not a complete result.
    ///
    /// A line longer than `configuration.maxRowBytes` fails the query (`.malformed`); with
    /// `configuration.queryTimeout`, so does a query still running after that long (`.timeout`), the
    /// fallback to `/query` included.
    package func streamQuery(
        _ sql: String,
        properties: [String: String] = [:],
        onHeader: (KsqlQueryHeader) throws -> Void,
        onRows: (KsqlRowBatch) throws -> Void
    ) async throws -> KsqlQuerySummary {
        let deadline = configuration.queryTimeout.map { ContinuousClock.now + $0 }
        if !usesLegacyQuery.withLock({ $0 }) {
            let streamBody = Self.jsonBody(["sql": sql, "properties": properties])
            do {
                return try await stream(
                    .queryStream, body: streamBody, accept: "application/vnd.ksqlapi.delimited.v1", format: .delimited,
                    deadline: deadline, onHeader: onHeader, onRows: onRows)
            } catch let error as KsqlDBError where error.kind == Self.http2Only {
                usesLegacyQuery.withLock { $0 = true }
            }
        }
        let legacyBody = Self.jsonBody(["ksql": sql, "streamsProperties": properties])
        return try await stream(
            .legacyQuery, body: legacyBody, accept: "application/vnd.ksql.v1+json", format: .legacy,
            deadline: deadline, onHeader: onHeader, onRows: onRows)
    }

    /// ksqlDB's answer to HTTP/1.1 on an endpoint it serves over HTTP/2 only (before 0.24).
    private static let http2Only = KsqlDBError.Kind.http(status: 400, errorCode: 40004)

    /// The error a streamed request's source reports when `configuration.queryTimeout` ran out.
    private struct QueryTimeoutExpired: Error {}

    /// One streamed request; an error status is thrown as `KsqlDBError.response` (40004 included, which
    /// on `/query` means both endpoints refused).
    private func stream(
        _ endpoint: KsqlQuerySummary.Endpoint,
        body: [UInt8],
        accept: String,
        format: KsqlQueryFramer.Format,
        deadline: ContinuousClock.Instant?,
        onHeader: (KsqlQueryHeader) throws -> Void,
        onRows: (KsqlRowBatch) throws -> Void
    ) async throws -> KsqlQuerySummary {
        let requestName = "POST \(endpoint.rawValue)"
        let source: any KsqlQueryByteSource
        if let target = socketTarget {
            let reader = PlainHTTPQueryReader(
                host: target.host, port: target.port,
                request: socketRequest(path: target.path + endpoint.rawValue, host: target.hostHeader, accept: accept, body: body),
                connectTimeout: configuration.connectTimeout, readTimeout: configuration.readTimeout)
            reader.start()
            source = reader
        } else {
            var headers = baseHeaders
            headers.add(name: "Accept", value: accept)
            headers.add(name: "Content-Type", value: "application/json")
            let request: HTTPClient.Request
            do {
                request = try HTTPClient.Request(url: baseURL + endpoint.rawValue, method: .POST, headers: headers,
                                                 body: .bytes(body))
            } catch {
                throw KsqlDBError(.unreachable, "invalid ksqlDB URL \(configuration.endpoint): \(error)")
            }
            let delegate = KsqlQueryStreamDelegate()
            // The delegate on the connection's own event loop: no hop between loops per body part.
            let task = http.execute(request: request, delegate: delegate,
                                    eventLoop: .delegateAndChannel(on: http.eventLoopGroup.next()), deadline: nil)
            delegate.startWatchdog(task: task, readTimeout: Self.timeAmount(configuration.readTimeout))
            source = delegate
        }
        // The overall deadline: when it passes, the source fails the request as if the server had. The
        // timer runs on an event loop, so that busy Swift concurrency threads cannot hold it up.
        let timer = deadline.map { deadline in
            http.eventLoopGroup.next().scheduleTask(in: Self.timeAmount(max(deadline - .now, .zero))) { [source] in
                source.fail(QueryTimeoutExpired())
            }
        }
        defer { timer?.cancel() }
        var framer = KsqlQueryFramer(format: format, maxRowBytes: configuration.maxRowBytes)
        var bytes: [UInt8] = []
        var errorBody: [UInt8] = []
        /// The error for a failed source: the overall timeout, or what the transport reports.
        func failure(_ error: any Error, receivedHead: Bool, rows: Int? = nil) -> KsqlDBError {
            if error is QueryTimeoutExpired {
                let progress = rows.map { " after \($0) rows" } ?? ""
                return KsqlDBError(.timeout, "ksqlDB query did not finish within "
                    + "\(KsqlDBError.seconds(configuration.queryTimeout ?? .zero)) (ksqldb.query_timeout_seconds): "
                    + "\(requestName) to ksqlDB at \(configuration.endpoint) was stopped\(progress)")
            }
            return KsqlDBError.transport(error, request: requestName, endpoint: configuration.endpoint,
                                         readTimeout: configuration.readTimeout, receivedHead: receivedHead, rows: rows)
        }
        do {
            return try await withTaskCancellationHandler {
                while true {
                    let delivery = await source.next(into: &bytes)
                    if let status = delivery.status, !(200..<300).contains(status) {
                        if errorBody.count < Self.maxErrorBodyBytes { errorBody.append(contentsOf: bytes) }
                        bytes.removeAll(keepingCapacity: true)
                        if let error = delivery.error { throw failure(error, receivedHead: true) }
                        guard delivery.finished else { continue }
                        let error = KsqlDBError.response(status: status, body: errorBody, request: requestName,
                                                         endpoint: configuration.endpoint)
                        if endpoint == .legacyQuery, error.kind == Self.http2Only {
                            // /query-stream was refused the same way: say so, keeping the server's code and words.
                            throw KsqlDBError(error.kind, "ksqlDB at \(configuration.endpoint) refused both /query-stream "
                                + "and /query over HTTP/1.1 (HTTP 400, error 40004)"
                                + KsqlDBError.serverDetail(in: errorBody))
                        }
                        throw error
                    }
                    if !bytes.isEmpty {
                        try framer.consume(&bytes, onHeader: onHeader, onRows: onRows)
                    }
                    if let error = delivery.error {
                        throw failure(error, receivedHead: delivery.status != nil, rows: framer.rows)
                    }
                    if delivery.finished {
                        try framer.finish(onHeader: onHeader, onRows: onRows)
                        source.stop()
                        return KsqlQuerySummary(queryId: framer.header?.queryId, endpoint: endpoint, rows: framer.rows,
                                                bytes: framer.bytes, finalMessage: framer.finalMessage)
                    }
                }
            } onCancel: {
                source.stop()
            }
        } catch {
            source.stop()
            if Task.isCancelled { throw CancellationError() }
            throw error
        }
    }
}
