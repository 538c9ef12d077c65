import NIOCore
import NIOHTTP1

/// One connection: collects each request, answers it through the router, and streams query rows
/// one HTTP chunk per row, in batches, following the channel's writability for backpressure.
final class EmulatorHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = ByteBuffer

    private static let batchBytes = 64 * 1024
    private static let batchRows = 2048
    private static let pushPollInterval = TimeAmount.milliseconds(50)

    private let router: EmulatorRouter
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    private var queue: [(EmulatorRequest, keepAlive: Bool)] = []
    private var busy = false
    private var stream: QueryStream?
    private var scratch: [UInt8] = []
    private var batch: [UInt8] = []

    init(router: EmulatorRouter) {
        self.router = router
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let requestHead):
            head = requestHead
            body.removeAll(keepingCapacity: true)
            if requestHead.headers[canonicalForm: "expect"].contains(where: { $0.lowercased() == "100-continue" }) {
                context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: "HTTP/1.1 100 Continue\r\n\r\n")), promise: nil)
            }
        case .body(var chunk):
            if let bytes = chunk.readBytes(length: chunk.readableBytes) { body.append(contentsOf: bytes) }
        case .end:
            guard let requestHead = head else { return }
            head = nil
            var path = requestHead.uri
            if let question = path.firstIndex(of: "?") { path = String(path[..<question]) }
            let request = EmulatorRequest(method: requestHead.method.rawValue, path: path,
                                          headers: requestHead.headers.map { ($0.name.lowercased(), $0.value) }, body: body)
            queue.append((request, requestHead.isKeepAlive))
            if !busy { processNext(context: context) }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let stream, !stream.finished {
            stream.finished = true
            router.unregister(queryId: stream.query.queryId)
        }
        stream = nil
        queue.removeAll()
        context.fireChannelInactive()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable, let stream, stream.waitingForWritability {
            stream.waitingForWritability = false
            pump(context: context)
        }
        context.fireChannelWritabilityChanged()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }

    // MARK: requests

    private func processNext(context: ChannelHandlerContext) {
        guard !queue.isEmpty, context.channel.isActive else {
            busy = false
            return
        }
        busy = true
        let (request, keepAlive) = queue.removeFirst()
        switch router.respond(to: request) {
        case .full(let status, let headers, let responseBody):
            var out = context.channel.allocator.buffer(capacity: 256 + responseBody.readableBytes)
            writeHead(status: status, headers: headers + [("content-length", String(responseBody.readableBytes))], keepAlive: keepAlive, into: &out)
            out.writeImmutableBuffer(responseBody)
            let written = context.writeAndFlush(wrapOutboundOut(out))
            finishResponse(context: context, keepAlive: keepAlive, written: written)
        case .query(let query, let framing, let contentType, let start, let faults):
            let stream = QueryStream(query: query, framing: framing, faults: faults, keepAlive: keepAlive, offset: start)
            self.stream = stream
            let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
            let contextBound = NIOLoopBound(context, eventLoop: context.eventLoop)
            let eventLoop = context.eventLoop
            let queryId = query.queryId
            router.register(queryId: queryId) {
                eventLoop.execute { loopBound.value.closeQuery(queryId, context: contextBound.value) }
            }
            var head = context.channel.allocator.buffer(capacity: 1024)
            writeHead(status: 200, headers: [("content-type", contentType), ("transfer-encoding", "chunked")], keepAlive: keepAlive, into: &head)
            var out: [UInt8] = []
            writeChunk(into: &out) { framing.writeHeader(query, into: &$0) }
            if let keepAliveLine = framing.keepAlive {
                writeChunk(into: &out) { $0.writeStaticString(keepAliveLine) }
            }
            head.writeBytes(out)
            context.writeAndFlush(wrapOutboundOut(head), promise: nil)
            if let delay = faults.rowDelay {
                schedule(after: delay, context: context)
            } else {
                pump(context: context)
            }
        }
    }

    /// Serves the next queued request, or closes the connection once the last bytes are written.
    private func finishResponse(context: ChannelHandlerContext, keepAlive: Bool, written: EventLoopFuture<Void>) {
        stream = nil
        if keepAlive {
            processNext(context: context)
        } else {
            busy = false
            written.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }

    // MARK: streaming

    private func schedule(after delay: Duration, context: ChannelHandlerContext) {
        let (seconds, attoseconds) = delay.components
        let nanos = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        context.eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(nanos)) { [self] in
            self.pump(context: context)
        }
    }

    private func pump(context: ChannelHandlerContext) {
        guard let stream, !stream.finished else { return }
        guard context.channel.isActive else {
            stream.finished = true
            return
        }
        let faults = stream.faults
        let query = stream.query
        var out = batch
        var element = scratch
        batch = []
        scratch = []
        out.removeAll(keepingCapacity: true)
        var rows = 0
        let count = query.rowCount
        defer {
            batch = out
            scratch = element
        }
        while out.count < Self.batchBytes - 4096 && rows < Self.batchRows {
            if let limit = query.limit, stream.emitted >= limit {
                end(stream, limitReached: true, into: &out, context: context)
                return
            }
            // A fault set for more rows than the query has fires at its end: the query must still fail.
            let atEnd = stream.offset >= count && !query.isPush
            if let after = faults.midStreamErrorAfterRows, stream.emitted >= after || atEnd {
                writeChunk(into: &out) { stream.framing.writeError(QueryFraming.midStreamError, into: &$0) }
                complete(stream, out: out, context: context)
                return
            }
            if let after = faults.dropConnectionAfterRows, stream.emitted >= after || atEnd {
                stream.finished = true
                router.unregister(queryId: query.queryId)
                context.writeAndFlush(wrapOutboundOut(buffer(out, context))).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
                return
            }
            guard stream.offset < count else {
                if query.isPush {
                    context.writeAndFlush(wrapOutboundOut(buffer(out, context)), promise: nil)
                    context.eventLoop.assumeIsolated().scheduleTask(in: Self.pushPollInterval) { [self] in
                        guard let stream = self.stream, !stream.finished else { return }
                        stream.query.refresh(from: self.router.store)
                        self.pump(context: context)
                    }
                    return
                }
                end(stream, limitReached: false, into: &out, context: context)
                return
            }
            let offset = stream.offset
            stream.offset += 1
            var row: EmulatorRow?
            guard query.matches(at: offset, row: &row) else { continue }
            // Rendered without a closure: capturing the query would copy it (a retain per field) for every row.
            element.removeAll(keepingCapacity: true)
            if faults.malformedRowAt == stream.emitted {
                stream.framing.writeMalformedRow(query, into: &element)
            } else {
                stream.framing.writeRowPrefix(query, into: &element)
                query.render(offset: offset, row: row, into: &element)
                stream.framing.writeRowSuffix(query, into: &element)
            }
            writeChunk(element, into: &out)
            stream.emitted += 1
            rows += 1
            if let delay = faults.rowDelay {
                context.writeAndFlush(wrapOutboundOut(buffer(out, context)), promise: nil)
                schedule(after: delay, context: context)
                return
            }
        }
        context.writeAndFlush(wrapOutboundOut(buffer(out, context)), promise: nil)
        if context.channel.isWritable {
            context.eventLoop.assumeIsolated().execute { [self] in self.pump(context: context) }
        } else {
            stream.waitingForWritability = true
        }
    }

    private func end(_ stream: QueryStream, limitReached: Bool, into out: inout [UInt8], context: ChannelHandlerContext) {
        writeChunk(into: &out) { stream.framing.writeEnd(stream.query, limitReached: limitReached, into: &$0) }
        complete(stream, out: out, context: context)
    }

    /// Writes the last bytes and the terminating chunk, then serves the next request.
    private func complete(_ stream: QueryStream, out: [UInt8], context: ChannelHandlerContext) {
        var out = out
        out.writeStaticString("0\r\n\r\n")
        stream.finished = true
        router.unregister(queryId: stream.query.queryId)
        let written = context.writeAndFlush(wrapOutboundOut(buffer(out, context)))
        finishResponse(context: context, keepAlive: stream.keepAlive, written: written)
    }

    private func closeQuery(_ queryId: String, context: ChannelHandlerContext) {
        guard let stream, stream.query.queryId == queryId, !stream.finished else { return }
        var out: [UInt8] = []
        end(stream, limitReached: false, into: &out, context: context)
    }

    // MARK: bytes

    private func buffer(_ bytes: [UInt8], _ context: ChannelHandlerContext) -> ByteBuffer {
        var buffer = context.channel.allocator.buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        return buffer
    }

    /// Renders one element, then frames it as one HTTP chunk.
    private func writeChunk(into out: inout [UInt8], _ render: (inout [UInt8]) -> Void) {
        var element: [UInt8] = []
        render(&element)
        writeChunk(element, into: &out)
    }

    /// Frames `element` as one HTTP chunk; an empty one is skipped (it would end the response).
    private func writeChunk(_ element: [UInt8], into out: inout [UInt8]) {
        let length = element.count
        guard length > 0 else { return }
        out.append(atMost: Int.bitWidth / 4 + length + 4) { chunk in
            var shift = (Int.bitWidth - length.leadingZeroBitCount + 3) / 4 * 4
            repeat {
                shift -= 4
                let nibble = UInt8((length >> shift) & 0xF)
                chunk.write(nibble < 10 ? nibble + 0x30 : nibble + 0x57)
            } while shift > 0
            chunk.write("\r\n")
            element.withUnsafeBufferPointer { chunk.write($0) }
            chunk.write("\r\n")
        }
    }

    private func writeHead(status: Int, headers: [(String, String)], keepAlive: Bool, into out: inout ByteBuffer) {
        out.writeString("HTTP/1.1 \(status) \(HTTPResponseStatus(statusCode: status).reasonPhrase)\r\n")
        for (name, value) in headers {
            out.writeString(name)
            out.writeStaticString(": ")
            out.writeString(value)
            out.writeStaticString("\r\n")
        }
        if !keepAlive { out.writeStaticString("connection: close\r\n") }
        if let offset = router.dateHeaderOffset.withLock({ $0 }) {
            out.writeString("date: \(EmulatorClock.httpDate(offsetMillis: offset))\r\n")
        }
        out.writeStaticString("\r\n")
    }
}
