import AsyncHTTPClient
import Foundation
import NIOCore
import NIOSSL

extension KsqlDBError {
    /// The error for a non-2xx answer, from ksqlDB's `{"@type":…,"error_code":…,"message":…}` body
    /// (or a plain-text body such as Vert.x's `Not Found`).
    static func response(status: Int, body: [UInt8], request: String, endpoint: String) -> KsqlDBError {
        let parsed = KsqlWire.decode(KsqlWire.ErrorBody.self, from: body)
        let code = parsed?.errorCode
        let serverMessage = self.serverMessage(parsed, body)
        let kind = Kind.http(status: status, errorCode: code)
        let codes = code.map { "HTTP \(status), error \($0)" } ?? "HTTP \(status)"
        let detail = serverMessage.isEmpty ? "" : ": \(serverMessage)"

        if code == 40001 || (status == 400 && code == nil), let name = unknownSourceName(in: serverMessage) {
            return KsqlDBError(kind, "ksqlDB has no stream or table named \(name)")
        }
        switch status {
        case 401:
            return KsqlDBError(kind, "ksqlDB at \(endpoint) rejected the credentials (\(codes))\(detail); "
                + "check the configured ksqlDB user and password")
        case 403:
            return KsqlDBError(kind, "ksqlDB at \(endpoint) denied \(request) to this user (\(codes))\(detail)")
        case 404 where parsed == nil:
            return KsqlDBError(kind, "ksqlDB at \(endpoint) has no \(request) (\(codes)); is the URL a ksqlDB server?")
        case 429:
            return KsqlDBError(kind, "ksqlDB at \(endpoint) is rate-limiting queries (\(codes))\(detail); try again later")
        case 503:
            return KsqlDBError(kind, "ksqlDB at \(endpoint) is not ready to serve requests (\(codes))\(detail)")
        case 500...:
            return KsqlDBError(kind, "ksqlDB at \(endpoint) failed \(request) (\(codes))\(detail)")
        default:
            return KsqlDBError(kind, "ksqlDB at \(endpoint) rejected \(request) (\(codes))\(detail)")
        }
    }

    /// `": <ksqlDB's message>"` from an error answer's body (one line), or "" when it has none.
    static func serverDetail(in body: [UInt8]) -> String {
        let message = serverMessage(KsqlWire.decode(KsqlWire.ErrorBody.self, from: body), body)
        return message.isEmpty ? "" : ": \(message)"
    }

    private static func serverMessage(_ parsed: KsqlWire.ErrorBody?, _ body: [UInt8]) -> String {
        oneLine(parsed?.message ?? String(decoding: body.prefix(300), as: UTF8.self))
    }

    /// The error for a failure below HTTP: refused, timed out, or cut off mid-body.
    static func transport(_ error: any Error, request: String, endpoint: String, readTimeout: Duration,
                          receivedHead: Bool, rows: Int? = nil) -> KsqlDBError {
        if let error = error as? KsqlDBError { return error }
        let progress = rows.map { " after \($0) rows" } ?? ""
        if let http = error as? HTTPClientError {
            switch http {
            case .connectTimeout, .getConnectionFromPoolTimeout, .tlsHandshakeTimeout:
                return KsqlDBError(.timeout, "cannot reach ksqlDB at \(endpoint): connection timed out")
            case .readTimeout:
                return KsqlDBError(.timeout, "ksqlDB at \(endpoint) sent nothing for \(seconds(readTimeout)) "
                    + "(read timeout) during \(request)\(progress)")
            case .deadlineExceeded:
                return KsqlDBError(.timeout, "ksqlDB at \(endpoint) did not finish \(request) in time\(progress)")
            case .remoteConnectionClosed where receivedHead:
                return dropped(request: request, endpoint: endpoint, progress: progress)
            case .remoteConnectionClosed:
                return KsqlDBError(.unreachable, "ksqlDB at \(endpoint) closed the connection before answering \(request)")
            case .cancelled:
                return KsqlDBError(.connectionDropped, "\(request) to ksqlDB at \(endpoint) was cancelled\(progress)")
            default:
                break
            }
        }
        if receivedHead {
            return dropped(request: request, endpoint: endpoint, progress: progress, reason: reason(error))
        }
        if let tls = tlsFailure(error) { return KsqlDBError(.unreachable, "TLS handshake with \(endpoint) failed: \(tls)") }
        return KsqlDBError(.unreachable, "cannot reach ksqlDB at \(endpoint): \(reason(error))")
    }

    /// A short reason for a connection failure, in words rather than the NIO enum case that
    /// `String(describing:)` would print: the errno text, "cannot resolve the host name", a timeout.
    package static func reason(_ error: any Error) -> String {
        if let io = error as? IOError { return String(cString: strerror(io.errnoCode)).lowercased() }
        if let tls = tlsFailure(error) { return "TLS handshake failed: \(tls)" }
        if error is SocketAddressError.UnknownHost { return "cannot resolve the host name" }
        if case SocketAddressError.failedToParseIPString = error { return "not an IP address or host name" }
        if case ChannelError.connectTimeout = error { return "connection timed out" }
        if let http = error as? HTTPClientError {
            switch http {
            case .connectTimeout, .getConnectionFromPoolTimeout, .tlsHandshakeTimeout: return "connection timed out"
            case .remoteConnectionClosed: return "the server closed the connection"
            default: break
            }
        }
        // NIOConnectionError (NIOPosix, not a dependency here) says "DNS error: …" or "Connection refused…".
        let text = oneLine(String(describing: error))
        if text.hasPrefix("DNS error") { return "cannot resolve the host name" }
        if text.lowercased().contains("connection refused") { return "connection refused" }
        return text
    }

    /// The reason a TLS handshake failed ("certificate verify failed", "wrong version number"), or
    /// nil when `error` is no TLS failure.
    static func tlsFailure(_ error: any Error) -> String? {
        if let extra = error as? NIOSSLExtraError {
            switch extra {
            case .failedToValidateHostname, .serverHostnameImpossibleToMatch: return "the certificate is not for this host name"
            default: return oneLine(String(describing: extra))
            }
        }
        guard let ssl = error as? NIOSSLError else { return nil }
        switch ssl {
        case let .handshakeFailed(boring):
            switch boring {
            case let .sslError(stack), let .unknownError(stack):
                // Each entry reads "Error: 268435703 error:100000f7:SSL routines:OPENSSL_internal:WRONG_VERSION_NUMBER at file:line".
                let reasons = stack.compactMap { entry -> String? in
                    let text = entry.description
                    guard let start = text.range(of: "error:") else { return text.hasPrefix("Error:") ? String(text.dropFirst(6)).trimmingCharacters(in: .whitespaces) : text }
                    let code = text[start.upperBound...].split(separator: " ").first.map(String.init) ?? ""
                    guard let last = code.split(separator: ":").last else { return nil }
                    return last.replacingOccurrences(of: "_", with: " ").lowercased()
                }
                return reasons.isEmpty ? "the server's answer is not TLS" : reasons.joined(separator: "; ")
            case .syscallError, .zeroReturn: return "the server closed the connection"
            default: return "the server's answer is not TLS"
            }
        case .uncleanShutdown: return "the server closed the connection"
        case .failedToLoadCertificate, .noSuchFilesystemObject: return "cannot load the CA file"
        case .unableToValidateCertificate, .noCertificateToValidate: return "the server's certificate cannot be validated"
        default: return oneLine(String(describing: ssl))
        }
    }

    private static func dropped(request: String, endpoint: String, progress: String, reason: String? = nil) -> KsqlDBError {
        let why = reason.map { " (\(oneLine($0)))" } ?? ""
        return KsqlDBError(.connectionDropped,
            "the connection to ksqlDB at \(endpoint) closed before the \(request) response was complete\(progress)\(why)")
    }

    /// The source name in ksqlDB's unknown-source messages: DESCRIBE's "Could not find STREAM/TABLE
    /// 'X' in the Metastore" and a query's "X does not exist."
    static func unknownSourceName(in message: String) -> String? {
        if let range = message.range(of: "Could not find ") {
            let rest = message[range.upperBound...]
            if let open = rest.firstIndex(of: "'"),
               let close = rest[rest.index(after: open)...].firstIndex(of: "'") {
                return String(rest[rest.index(after: open)..<close])
            }
        }
        if let range = message.range(of: " does not exist") {
            let before = message[..<range.lowerBound]
            // "Column name X does not exist." is about a column, not a source.
            if before.lowercased().contains("column") { return nil }
            if before.hasSuffix("`"), let open = before.dropLast().lastIndex(of: "`") {
                return String(before[before.index(after: open)..<before.index(before: before.endIndex)])
            }
            let word = before.split(whereSeparator: { $0 == " " || $0 == ":" }).last.map(String.init) ?? ""
            let name = word.trimmingCharacters(in: CharacterSet(charactersIn: "`'\""))
            return name.isEmpty ? nil : name
        }
        return nil
    }

    static func oneLine(_ text: String) -> String {
        let flat = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .joined(separator: " ")
        return flat.count > 500 ? String(flat.prefix(500)) + "…" : flat
    }

    static func seconds(_ duration: Duration) -> String {
        let (s, atto) = duration.components
        return atto == 0 ? "\(s) s" : String(format: "%.3g s", Double(s) + Double(atto) / 1e18)
    }
}
