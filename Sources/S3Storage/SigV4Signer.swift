import Crypto
import Foundation

/// AWS Signature Version 4 for one region and service: the canonical request, the string to sign,
/// the derived signing key and the `Authorization` header. Written from AWS's published algorithm
/// and checked against its test suite and botocore's signer.
package struct SigV4Signer: Sendable {
    package var credentials: AWSCredentials
    package var region: String
    package var service: String

    package init(credentials: AWSCredentials, region: String, service: String = "s3") {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// SHA-256 of the empty payload.
    package static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    package static func hex(_ bytes: some Sequence<UInt8>) -> String {
        var out = ""
        for b in bytes {
            out.append(Self.digits[Int(b >> 4)])
            out.append(Self.digits[Int(b & 15)])
        }
        return out
    }

    private static let digits = Array("0123456789abcdef")

    package static func sha256Hex(_ bytes: some DataProtocol) -> String { hex(SHA256.hash(data: bytes)) }

    /// `20150830T123600Z` and `20150830` for a date.
    package static func timestamps(_ date: Date) -> (amzDate: String, day: String) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let day = String(format: "%04d%02d%02d", c.year!, c.month!, c.day!)
        return (day + String(format: "T%02d%02d%02dZ", c.hour!, c.minute!, c.second!), day)
    }

    /// RFC 3986 percent-encoding as SigV4 wants it: everything but `A-Z a-z 0-9 - _ . ~` (and `/`
    /// when `keepSlash`, for paths).
    package static func uriEncode(_ text: String, keepSlash: Bool) -> String {
        var out = ""
        for b in text.utf8 {
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.append(Character(Unicode.Scalar(b)))
            case UInt8(ascii: "/") where keepSlash:
                out.append("/")
            default:
                out += String(format: "%%%02X", b)
            }
        }
        return out
    }

    /// The canonical request. `path` is the request path as sent (already encoded, S3 style: no
    /// normalization, no double encoding); `query` holds decoded names and values; `headers` every
    /// header to sign (names any case, repeated names allowed).
    package func canonicalRequest(method: String, path: String, query: [(String, String)], headers: [(String, String)],
                                  payloadHash: String) -> (text: String, signedHeaders: String) {
        var encoded: [(name: String, value: String)] = []
        for (name, value) in query { encoded.append((Self.uriEncode(name, keepSlash: false), Self.uriEncode(value, keepSlash: false))) }
        encoded.sort { a, b in a.name != b.name ? a.name < b.name : a.value < b.value }
        let canonicalQuery = encoded.map { $0.name + "=" + $0.value }.joined(separator: "&")
        var grouped: [String: [String]] = [:]
        for (name, value) in headers {
            grouped[name.lowercased(), default: []].append(Self.trimmed(value))
        }
        let names = grouped.keys.sorted()
        let canonicalHeaders = names.map { "\($0):\(grouped[$0]!.joined(separator: ","))\n" }.joined()
        let signed = names.joined(separator: ";")
        let text = [method, path.isEmpty ? "/" : path, canonicalQuery, canonicalHeaders, signed, payloadHash].joined(separator: "\n")
        return (text, signed)
    }

    /// Leading and trailing spaces removed, inner runs of spaces made one.
    static func trimmed(_ value: String) -> String {
        var out = ""
        var space = false
        for ch in value.trimmingCharacters(in: .whitespaces) {
            if ch == " " || ch == "\t" {
                if !space { out.append(" ") }
                space = true
            } else {
                out.append(ch)
                space = false
            }
        }
        return out
    }

    package func scope(day: String) -> String { "\(day)/\(region)/\(service)/aws4_request" }

    package func stringToSign(canonicalRequest: String, amzDate: String, day: String) -> String {
        ["AWS4-HMAC-SHA256", amzDate, scope(day: day), Self.sha256Hex(Array(canonicalRequest.utf8))].joined(separator: "\n")
    }

    package func signature(stringToSign: String, day: String) -> String {
        func hmac(_ key: SymmetricKey, _ text: String) -> SymmetricKey {
            SymmetricKey(data: HMAC<SHA256>.authenticationCode(for: Array(text.utf8), using: key))
        }
        var key = SymmetricKey(data: Array("AWS4\(credentials.secretAccessKey)".utf8))
        for part in [day, region, service, "aws4_request"] { key = hmac(key, part) }
        return Self.hex(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: key))
    }

    /// The headers to add to a request (`x-amz-date`, `x-amz-content-sha256`, the session token,
    /// `Authorization`). `headers` must hold `host` and every other header to sign.
    package func sign(method: String, path: String, query: [(String, String)], headers: [(String, String)],
                      payloadHash: String, date: Date) -> [(String, String)] {
        let (amzDate, day) = Self.timestamps(date)
        var added: [(String, String)] = [("x-amz-date", amzDate), ("x-amz-content-sha256", payloadHash)]
        if let token = credentials.sessionToken { added.append(("x-amz-security-token", token)) }
        let (canonical, signed) = canonicalRequest(method: method, path: path, query: query, headers: headers + added, payloadHash: payloadHash)
        let sts = stringToSign(canonicalRequest: canonical, amzDate: amzDate, day: day)
        let authorization = "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope(day: day)), SignedHeaders=\(signed), Signature=\(signature(stringToSign: sts, day: day))"
        return added + [("Authorization", authorization)]
    }
}
