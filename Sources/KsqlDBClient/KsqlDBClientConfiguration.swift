import Foundation

/// How to reach one ksqlDB server: its URL, timeouts, Basic credentials and TLS options.
package struct KsqlDBClientConfiguration: Sendable {
    /// `http(s)://host:port`; a path prefix is kept (for servers behind a reverse proxy).
    package var url: URL
    package var connectTimeout: Duration
    /// The longest silence allowed between two reads of a response, also while a query streams.
    package var readTimeout: Duration
    /// Basic auth, already resolved from the environment by the caller; never logged or shown.
    package var credentials: (user: String, password: String)?
    /// A PEM file of extra CA certificates trusted for `https` URLs.
    package var caFile: String?
    /// Accept any server certificate (development only; the client warns loudly on stderr).
    package var insecureSkipVerify: Bool
    /// An HTTP proxy (`host`, `port`) the requests go through; https traffic is tunnelled (CONNECT).
    package var proxy: (host: String, port: Int)?
    /// Streamed queries to `http://` without a proxy go over a plain socket (much cheaper per row);
    /// false sends them through AsyncHTTPClient like every other request (tests cover both paths).
    package var streamsOverSocket = true
    /// The longest line (one row, or the header) a streamed query's response may send; a longer one
    /// fails the query (`.malformed`) instead of growing memory without bound.
    package var maxRowBytes = KsqlDBClientConfiguration.defaultMaxRowBytes
    /// The longest a streamed query may take in total, fallback to `/query` included; nil: no limit.
    /// `readTimeout` only bounds the silences, so a server trickling rows would otherwise never end.
    package var queryTimeout: Duration?

    /// 16 MiB: far above any real row, small enough that a runaway line cannot exhaust memory.
    package static let defaultMaxRowBytes = 16 << 20

    package init(
        url: URL,
        connectTimeout: Duration = .seconds(10),
        readTimeout: Duration = .seconds(60),
        credentials: (user: String, password: String)? = nil,
        caFile: String? = nil,
        insecureSkipVerify: Bool = false,
        proxy: (host: String, port: Int)? = nil
    ) {
        self.url = url
        self.connectTimeout = connectTimeout
        self.readTimeout = readTimeout
        self.credentials = credentials
        self.caFile = caFile
        self.insecureSkipVerify = insecureSkipVerify
        self.proxy = proxy
    }

    /// `host:port` of the server, for messages: never the user info or the path.
    package var endpoint: String {
        let host = url.host ?? "?"
        let port = url.port ?? (url.scheme?.lowercased() == "https" ? 443 : 80)
        return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
