import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import Synchronization

/// A client for one ksqlDB server's REST API: server info, source listing and description, and
/// streamed pull queries. Wraps one AsyncHTTPClient `HTTPClient`; call `shutdown()` when done.
package final class KsqlDBClient: Sendable {
    package let configuration: KsqlDBClientConfiguration
    let http: HTTPClient
    /// Headers sent with every request (Basic auth, Accept); never logged.
    let baseHeaders: HTTPHeaders
    /// The URL without a trailing slash, paths are appended to it.
    let baseURL: String
    /// Set once the server answered 40004 (older than 0.24): later queries go straight to `/query`.
    let usesLegacyQuery = Mutex(false)

    /// Bodies of non-streamed answers are bounded; /ksql answers are small.
    static let maxBodyBytes = 32 << 20
    /// Bodies of error answers kept for the message.
    static let maxErrorBodyBytes = 64 << 10

    package init(configuration: KsqlDBClientConfiguration) {
        self.configuration = configuration
        var httpConfiguration = HTTPClient.Configuration()
        // No AsyncHTTPClient read timeout: small requests have a deadline, streams a watchdog
        // (see KsqlQueryStreamDelegate), which is much cheaper per body part.
        httpConfiguration.timeout = HTTPClient.Configuration.Timeout(
            connect: Self.timeAmount(configuration.connectTimeout), read: nil)
        httpConfiguration.redirectConfiguration = .disallow
        // A refused connection is reported at once rather than retried until the connect timeout.
        httpConfiguration.connectionPool.retryConnectionEstablishment = false
        if configuration.url.scheme?.lowercased() == "https" {
            var tls = TLSConfiguration.makeClientConfiguration()
            if let caFile = configuration.caFile {
                tls.additionalTrustRoots = [.file(caFile)]
            }
            if configuration.insecureSkipVerify {
                tls.certificateVerification = .none
                FileHandle.standardError.write(Data(("WARNING: TLS certificate verification is OFF for ksqlDB at "
                    + "\(configuration.endpoint) (insecure_skip_verify); anyone on the network path can read and "
                    + "change this traffic. Use it for development only.\n").utf8))
            }
            httpConfiguration.tlsConfiguration = tls
        }
        if let proxy = configuration.proxy {
            httpConfiguration.proxy = .server(host: proxy.host, port: proxy.port)
        }
        http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: httpConfiguration)

        var headers = HTTPHeaders()
        headers.add(name: "User-Agent", value: "datalake")
        if let credentials = configuration.credentials {
            let token = Data("\(credentials.user):\(credentials.password)".utf8).base64EncodedString()
            headers.add(name: "Authorization", value: "Basic \(token)")
        }
        baseHeaders = headers
        var url = configuration.url.absoluteString
        while url.hasSuffix("/") { url.removeLast() }
        baseURL = url
    }

    package func shutdown() async throws {
        try await http.shutdown()
    }

    /// Sends one request and returns the whole body of a 2xx answer; other statuses become
    /// `KsqlDBError`s. `acceptStatus` lets a caller read an error status's body itself (healthcheck).
    func exchange(_ method: HTTPMethod, _ path: String, json body: [UInt8]? = nil,
                  acceptStatus: Set<Int> = []) async throws(KsqlDBError) -> (status: Int, body: [UInt8]) {
        let request = "\(method.rawValue) \(path)"
        var receivedHead = false
        do {
            var outgoing = HTTPClientRequest(url: baseURL + path)
            outgoing.method = method
            outgoing.headers = baseHeaders
            outgoing.headers.add(name: "Accept", value: "application/vnd.ksql.v1+json")
            if let body {
                outgoing.headers.add(name: "Content-Type", value: "application/vnd.ksql.v1+json")
                outgoing.body = .bytes(ByteBuffer(bytes: body))
            }
            let deadline = Self.timeAmount(configuration.connectTimeout + configuration.readTimeout)
            let response = try await http.execute(outgoing, timeout: deadline)
            receivedHead = true
            let status = Int(response.status.code)
            let ok = (200..<300).contains(status) || acceptStatus.contains(status)
            let limit = ok ? Self.maxBodyBytes : Self.maxErrorBodyBytes
            var collected = try await response.body.collect(upTo: limit)
            let bytes = collected.readBytes(length: collected.readableBytes) ?? []
            guard ok else {
                throw KsqlDBError.response(status: status, body: bytes, request: request, endpoint: configuration.endpoint)
            }
            return (status, bytes)
        } catch let error as KsqlDBError {
            throw error
        } catch let error as HTTPClientError where error == .deadlineExceeded {
            // The deadline is the two timeouts together: name the setting a user would raise.
            throw KsqlDBError(.timeout, "ksqlDB at \(configuration.endpoint) did not answer \(request) within "
                + "\(KsqlDBError.seconds(configuration.connectTimeout + configuration.readTimeout)) (ksqldb.connect_timeout_seconds + ksqldb.timeout_seconds)")
        } catch {
            throw KsqlDBError.transport(error, request: request, endpoint: configuration.endpoint,
                                        readTimeout: configuration.readTimeout, receivedHead: receivedHead)
        }
    }

    /// A JSON request body from a dictionary of strings and nested dictionaries.
    static func jsonBody(_ object: [String: Any]) -> [UInt8] {
        // JSONSerialization is fine for these tiny request bodies; never used for rows.
        (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])).map { Array($0) } ?? []
    }

    static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
