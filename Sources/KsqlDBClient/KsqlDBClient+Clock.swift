import AsyncHTTPClient
import Foundation
import NIOCore

extension KsqlDBClient {
    /// ksqlDB's clock, from the `Date` header of a `GET /info` answer; nil when the server sends
    /// none. Plan compares it with this machine's before it fixes export windows and expiries.
    package func serverDate() async -> Date? {
        var request = HTTPClientRequest(url: baseURL + "/info")
        request.method = .GET
        request.headers = baseHeaders
        guard let response = try? await http.execute(request, timeout: Self.timeAmount(configuration.connectTimeout + configuration.readTimeout)) else {
            return nil
        }
        _ = try? await response.body.collect(upTo: Self.maxErrorBodyBytes)
        guard let text = response.headers.first(name: "Date") else { return nil }
        return Self.httpDate(text)
    }

    /// Parses an RFC 1123 date (`Tue, 15 Nov 1994 08:12:31 GMT`).
    static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }
}
