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
    package func streamQuery(
        _ sql: String,
        properties: [String: String] = [:],
        onHeader: (KsqlQueryHeader) throws -> Void,
        onRows: (KsqlRowBatch) throws -> Void
    ) async throws -> KsqlQuerySummary {
        if !usesLegacyQuery.withLock({ $0 }) {
            let streamBody = Self.jsonBody(["sql": sql, "properties": properties])
            if let summary = try await stream(
                .queryStream, body: streamBody, accept: "application/vnd.ksqlapi.delimited.v1", format: .delimited,
                onHeader: onHeader, onRows: onRows)
            {
                return summary
            }
            usesLegacyQuery.withLock { $0 = true }
        }
        let legacyBody = Self.jsonBody(["ksql": sql, "streamsProperties": properties])
        guard let summary = try await stream(
            .legacyQuery, body: legacyBody, accept: "application/vnd.ksql.v1+json", format: .legacy,
            onHeader: onHeader, onRows: onRows)
        else {
            throw KsqlDBError(.http(status: 400, errorCode: 40004),
                              "ksqlDB at \(configuration.endpoint) refused both /query-stream and /query over HTTP/1.1")
        }
        return summary
    }

    /// One streamed request. Returns nil when the server answers 400/40004 (HTTP/2 only endpoint).
    private func stream(
        _ endpoint: KsqlQuerySummary.Endpoint,
        body: [UInt8],
        accept: String,
        format: KsqlQueryFramer.Format,
        onHeader: (KsqlQueryHeader) throws -> Void,
        onRows: (KsqlRowBatch) throws -> Void
    ) async throws -> KsqlQuerySummary? {
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
        var framer = KsqlQueryFramer(format: format)
        var bytes: [UInt8] = []
        var errorBody: [UInt8] = []
        do {
            return try await withTaskCancellationHandler {
                while true {
                    let delivery = await source.next(into: &bytes)
                    if let status = delivery.status, !(200..<300).contains(status) {
                        if errorBody.count < Self.maxErrorBodyBytes { errorBody.append(contentsOf: bytes) }
                        bytes.removeAll(keepingCapacity: true)
                        if let error = delivery.error {
                            throw KsqlDBError.transport(error, request: requestName, endpoint: configuration.endpoint,
                                                        readTimeout: configuration.readTimeout, receivedHead: true)
                        }
                        guard delivery.finished else { continue }
                        let error = KsqlDBError.response(status: status, body: errorBody, request: requestName,
                                                         endpoint: configuration.endpoint)
                        if error.kind == .http(status: 400, errorCode: 40004) { return nil }
                        throw error
                    }
                    if !bytes.isEmpty {
                        try framer.consume(&bytes, onHeader: onHeader, onRows: onRows)
                    }
                    if let error = delivery.error {
                        throw KsqlDBError.transport(error, request: requestName, endpoint: configuration.endpoint,
                                                    readTimeout: configuration.readTimeout,
                                                    receivedHead: delivery.status != nil, rows: framer.rows)
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
