import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1

/// A small S3 client for what a lake needs: objects (get, head, put, put-if-absent), listing by
/// prefix, batch deletes and multipart uploads, every request signed with SigV4. Calls block the
/// calling thread (the lake's storage seam is synchronous); idempotent requests are retried with
/// exponential backoff and jitter on 500, 503, SlowDown and dropped connections.
package final class S3Client: Sendable {
    package let configuration: S3Configuration
    let signer: SigV4Signer
    let http: HTTPClient

    package init(configuration: S3Configuration) {
        self.configuration = configuration
        signer = SigV4Signer(credentials: configuration.credentials, region: configuration.region)
        http = HTTPClient.shared
    }

    /// One answer.
    package struct Response: Sendable {
        package var status: Int
        package var headers: HTTPHeaders
        package var body: [UInt8]
        package var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// `s3://bucket/key`, for messages.
    package func url(_ key: String) -> String { "s3://\(configuration.bucket)/\(key)" }

    /// Host and encoded path of `key` (empty key: the bucket).
    func address(_ key: String) -> (base: String, host: String, path: String) {
        let encodedKey = SigV4Signer.uriEncode(key, keepSlash: true)
        if let endpoint = configuration.endpoint {
            let scheme = endpoint.scheme ?? "https"
            let hostPort = endpoint.host! + (endpoint.port.map { ":\($0)" } ?? "")
            if configuration.pathStyle {
                return ("\(scheme)://\(hostPort)", hostPort, "/\(configuration.bucket)/\(encodedKey)")
            }
            return ("\(scheme)://\(configuration.bucket).\(hostPort)", "\(configuration.bucket).\(hostPort)", "/\(encodedKey)")
        }
        let host = configuration.pathStyle ? "s3.\(configuration.region).amazonaws.com" : "\(configuration.bucket).s3.\(configuration.region).amazonaws.com"
        return ("https://\(host)", host, configuration.pathStyle ? "/\(configuration.bucket)/\(encodedKey)" : "/\(encodedKey)")
    }

    /// Sends one signed request; `accept` lists the statuses that are answers, not errors.
    package func send(_ method: HTTPMethod, key: String, query: [(String, String)] = [], headers extra: [(String, String)] = [],
                      body: [UInt8] = [], accept: Set<Int> = [200], idempotent: Bool = true) throws -> Response {
        try send(method, key: key, query: query, headers: extra, payload: body.isEmpty ? nil : ByteBuffer(bytes: body),
                 accept: accept, idempotent: idempotent)
    }

    /// The same with the body in a `ByteBuffer`, sent as it is (a multipart part is not copied).
    package func send(_ method: HTTPMethod, key: String, query: [(String, String)] = [], headers extra: [(String, String)] = [],
                      payload: ByteBuffer?, accept: Set<Int> = [200], idempotent: Bool = true) throws -> Response {
        let (base, host, path) = address(key)
        let body = payload.flatMap { $0.readableBytes > 0 ? $0 : nil }
        let payloadHash = body.map { b in b.withUnsafeReadableBytes { SigV4Signer.hex(SHA256.hash(data: $0)) } }
            ?? SigV4Signer.emptyPayloadHash
        let queryText = query.map { SigV4Signer.uriEncode($0.0, keepSlash: false) + "=" + SigV4Signer.uriEncode($0.1, keepSlash: false) }
            .joined(separator: "&")
        let target = base + path + (queryText.isEmpty ? "" : "?" + queryText)
        var attempt = 0
        while true {
            attempt += 1
            let signed = signer.sign(method: method.rawValue, path: path, query: query, headers: [("host", host)] + extra,
                                     payloadHash: payloadHash, date: Date())
            var headers = HTTPHeaders()
            for (n, v) in extra + signed { headers.add(name: n, value: v) }
            let outcome: Result<Response, Error>
            do {
                var request = try HTTPClient.Request(url: target, method: method, headers: headers,
                                                     body: body.map { .byteBuffer($0) })
                request.headers.replaceOrAdd(name: "Host", value: host)
                let answer = try http.execute(request: request, deadline: .now() + .seconds(120)).wait()
                let bytes = answer.body.map { Array($0.readableBytesView) } ?? []
                outcome = .success(Response(status: Int(answer.status.code), headers: answer.headers, body: bytes))
            } catch {
                outcome = .failure(error)
            }
            switch outcome {
            case let .success(response) where accept.contains(response.status):
                return response
            case let .success(response):
                let code = S3XML.value("Code", in: response.text) ?? HTTPResponseStatus(statusCode: response.status).reasonPhrase
                let retryable = response.status == 500 || response.status == 503 || code == "SlowDown" || code == "InternalError"
                if idempotent && retryable && attempt < configuration.maxAttempts {
                    backoff(attempt)
                    continue
                }
                throw S3Error(status: response.status, code: code, message: S3XML.value("Message", in: response.text) ?? "", url: url(key))
            case let .failure(error):
                if idempotent && attempt < configuration.maxAttempts {
                    backoff(attempt)
                    continue
                }
                throw S3Error(status: 0, code: "\(type(of: error))", message: "\(error)", url: url(key))
            }
        }
    }

    /// 100 ms, 200 ms, 400 ms … with full jitter.
    func backoff(_ attempt: Int) {
        let cap = min(100_000 << (attempt - 1), 5_000_000)
        usleep(UInt32(Int.random(in: cap / 2...cap)))
    }

    // MARK: objects

    /// The object's bytes, nil when there is none; more than `limit` bytes is an error.
    package func get(_ key: String, limit: Int) throws -> [UInt8]? {
        let r = try send(.GET, key: key, accept: [200, 404])
        if r.status == 404 { return nil }
        if r.body.count > limit { throw S3Error(status: 200, code: "TooLarge", message: "larger than the limit of \(limit) bytes", url: url(key)) }
        return r.body
    }

    /// The object's size, nil when there is none.
    package func head(_ key: String) throws -> Int? {
        let r = try send(.HEAD, key: key, accept: [200, 404])
        return r.status == 404 ? nil : Int(r.headers.first(name: "Content-Length") ?? "") ?? 0
    }

    package func put(_ key: String, _ bytes: [UInt8]) throws {
        _ = try send(.PUT, key: key, body: bytes)
    }

    package func put(_ key: String, _ bytes: ByteBuffer) throws {
        _ = try send(.PUT, key: key, payload: bytes)
    }

    /// PUT with `If-None-Match: *`: false when the object exists (S3 answers 412, or 409 during a race).
    package func putIfAbsent(_ key: String, _ bytes: [UInt8]) throws -> Bool {
        let r = try send(.PUT, key: key, headers: [("If-None-Match", "*")], body: bytes, accept: [200, 409, 412], idempotent: false)
        return r.status == 200
    }

    /// Every key below `prefix` with its size and storage class (nil for STANDARD), over as many
    /// ListObjectsV2 pages as there are.
    package func list(prefix: String, maxKeys: Int? = nil) throws -> [(key: String, size: Int, storageClass: String?, modified: Int64?)] {
        var out: [(String, Int, String?, Int64?)] = []
        // One formatter a listing: making one is costly, and they are not shared across threads.
        let formatter = ISO8601DateFormatter()
        var token: String?
        repeat {
            var query = [("list-type", "2"), ("prefix", prefix)]
            if let maxKeys { query.append(("max-keys", String(maxKeys))) }
            if let token { query.append(("continuation-token", token)) }
            let r = try send(.GET, key: "", query: query)
            let xml = r.text
            for block in S3XML.blocks("Contents", in: xml) {
                guard let key = S3XML.value("Key", in: block) else { continue }
                let storageClass = S3XML.value("StorageClass", in: block).flatMap { $0 == "STANDARD" ? nil : $0 }
                let modified = S3XML.value("LastModified", in: block).flatMap { Self.epochMillis($0, formatter) }
                out.append((key, Int(S3XML.value("Size", in: block) ?? "0") ?? 0, storageClass, modified))
            }
            token = S3XML.value("IsTruncated", in: xml) == "true" && maxKeys == nil ? S3XML.value("NextContinuationToken", in: xml) : nil
        } while token != nil
        return out
    }

    /// Rewrites the object onto itself in `storageClass` (CopyObject keeps its bytes and metadata);
    /// an object already there, or gone, is left as it is. A single copy is limited to 5 GiB; lake
    /// files are far smaller, and a larger one is an error.
    package func changeStorageClass(_ key: String, to storageClass: String) throws {
        let source = "/" + configuration.bucket + "/" + SigV4Signer.uriEncode(key, keepSlash: true)
        let r = try send(.PUT, key: key, headers: [("x-amz-copy-source", source), ("x-amz-storage-class", storageClass),
                                                   ("x-amz-metadata-directive", "COPY")], accept: [200, 400, 404])
        let code = S3XML.value("Code", in: r.text)
        if r.status == 404 { return }
        if r.status == 400 {
            // S3 refuses a copy onto itself that changes nothing: the object is in that class already.
            let current = try send(.HEAD, key: key, accept: [200, 404])
            if current.status == 404 || (current.headers.first(name: "x-amz-storage-class") ?? "STANDARD") == storageClass { return }
            throw S3Error(status: 400, code: code ?? "InvalidRequest", message: S3XML.value("Message", in: r.text) ?? "", url: url(key))
        }
        // Like CompleteMultipartUpload, a copy can answer 200 and fail in the body.
        if S3XML.blocks("CopyObjectResult", in: r.text).isEmpty, let code {
            throw S3Error(status: 200, code: code, message: S3XML.value("Message", in: r.text) ?? "", url: url(key))
        }
    }

    /// `2026-12-03T06:11:18.000Z` (S3's LastModified) as epoch ms.
    static func epochMillis(_ text: String, _ f: ISO8601DateFormatter) -> Int64? {
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = f.date(from: text) { return Int64(d.timeIntervalSince1970 * 1000) }
        f.formatOptions = [.withInternetDateTime]
        return f.date(from: text).map { Int64($0.timeIntervalSince1970 * 1000) }
    }

    /// DeleteObjects, 1000 keys a request; a key that could not be deleted is an error.
    package func delete(_ keys: [String]) throws {
        var start = 0
        while start < keys.count {
            let batch = keys[start..<min(start + 1000, keys.count)]
            start += 1000
            let body = Array(("<Delete><Quiet>true</Quiet>" + batch.map { "<Object><Key>\(S3XML.escape($0))</Key></Object>" }.joined() + "</Delete>").utf8)
            let md5 = Data(Insecure.MD5.hash(data: body)).base64EncodedString()
            let r = try send(.POST, key: "", query: [("delete", "")], headers: [("Content-MD5", md5), ("Content-Type", "application/xml")], body: body)
            if let failed = S3XML.blocks("Error", in: r.text).first {
                throw S3Error(status: 200, code: S3XML.value("Code", in: failed) ?? "DeleteFailed", message: S3XML.value("Message", in: failed) ?? "",
                              url: url(S3XML.value("Key", in: failed) ?? ""))
            }
        }
    }

    // MARK: multipart uploads

    package func createMultipartUpload(_ key: String) throws -> String {
        let r = try send(.POST, key: key, query: [("uploads", "")], idempotent: false)
        guard let id = S3XML.value("UploadId", in: r.text) else {
            throw S3Error(status: r.status, code: "NoUploadId", message: "CreateMultipartUpload answered without an UploadId", url: url(key))
        }
        return id
    }

    /// Uploads part `number` (from 1); returns its ETag.
    package func uploadPart(_ key: String, uploadId: String, number: Int, _ bytes: ByteBuffer) throws -> String {
        let r = try send(.PUT, key: key, query: [("partNumber", String(number)), ("uploadId", uploadId)], payload: bytes)
        return r.headers.first(name: "ETag") ?? ""
    }

    /// Completes an upload: the object appears, whole, only now.
    package func completeMultipartUpload(_ key: String, uploadId: String, etags: [String]) throws {
        let parts = etags.enumerated().map { "<Part><PartNumber>\($0.offset + 1)</PartNumber><ETag>\(S3XML.escape($0.element))</ETag></Part>" }.joined()
        let body = Array("<CompleteMultipartUpload>\(parts)</CompleteMultipartUpload>".utf8)
        let r = try send(.POST, key: key, query: [("uploadId", uploadId)], headers: [("Content-Type", "application/xml")], body: body)
        // S3 can answer 200 with an error in the body.
        if let code = S3XML.value("Code", in: r.text), S3XML.value("Key", in: r.text) == nil {
            throw S3Error(status: 200, code: code, message: S3XML.value("Message", in: r.text) ?? "", url: url(key))
        }
    }

    package func abortMultipartUpload(_ key: String, uploadId: String) throws {
        _ = try send(.DELETE, key: key, query: [("uploadId", uploadId)], accept: [200, 204, 404])
    }

    /// Incomplete multipart uploads below `prefix` (what a crash mid-upload leaves).
    package func listMultipartUploads(prefix: String) throws -> [(key: String, uploadId: String)] {
        let r = try send(.GET, key: "", query: [("uploads", ""), ("prefix", prefix)])
        return S3XML.blocks("Upload", in: r.text).compactMap { block in
            guard let key = S3XML.value("Key", in: block), let id = S3XML.value("UploadId", in: block) else { return nil }
            return (key, id)
        }
    }
}
