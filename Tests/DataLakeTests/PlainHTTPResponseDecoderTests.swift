import Testing
@testable import DataLake
import DataLakeTestSupport
@testable import KsqlDBClient
@testable import KsqlParquet
@testable import LakeStorage

/// The socket path's HTTP/1.1 framing: heads, chunked bodies (split anywhere), fixed lengths, bodies
/// that end at close, and the malformed cases that must fail rather than yield a short body.
@Suite struct PlainHTTPResponseDecoderTests {
    /// Feeds `response` in pieces cut at `cuts`, re-feeding what the decoder left unused, as the reader does.
    static func decode(_ response: String, cuts: [Int] = []) throws -> (decoder: PlainHTTPResponseDecoder, body: String) {
        let bytes = Array(response.utf8)
        var decoder = PlainHTTPResponseDecoder()
        var body: [UInt8] = []
        var pending: [UInt8] = []
        var from = 0
        for end in cuts + [bytes.count] where end >= from {
            pending += bytes[from..<end]
            from = end
            let used = try pending.withUnsafeBytes { try decoder.decode($0, body: &body) }
            pending.removeFirst(used)
        }
        return (decoder, String(decoding: body, as: UTF8.self))
    }

    /// One chunk: hex size (upper case when `upper`), optional extension, data, CRLF.
    static func chunk(_ data: String, upper: Bool = false, ext: String = "") -> String {
        String(data.utf8.count, radix: 16, uppercase: upper) + ext + "\r\n" + data + "\r\n"
    }

    static let chunked = "HTTP/1.1 200 OK\r\ncontent-type: application/vnd.ksqlapi.delimited.v1\r\nTransfer-Encoding: chunked\r\n\r\n"
        + chunk("{\"queryId\":\"q\",\"x\":[1]}\n") + chunk("[1,2]\n", ext: ";ext=1")
        + chunk("[3,\"abcdefghijklmnopqrstuvwxyz\"]\n", upper: true) + "0\r\nTrailer: x\r\n\r\n"

    @Test func chunkedBodySplitAtEveryByte() throws {
        let whole = try Self.decode(Self.chunked)
        #expect(whole.decoder.status == 200)
        #expect(whole.decoder.isComplete)
        #expect(whole.body == "{\"queryId\":\"q\",\"x\":[1]}\n[1,2]\n[3,\"abcdefghijklmnopqrstuvwxyz\"]\n")
        for cut in 1..<Self.chunked.utf8.count {
            let split = try Self.decode(Self.chunked, cuts: [cut])
            #expect(split.body == whole.body, "cut at \(cut)")
            #expect(split.decoder.isComplete, "cut at \(cut)")
        }
        let bytewise = try Self.decode(Self.chunked, cuts: Array(1..<Self.chunked.utf8.count))
        #expect(bytewise.body == whole.body)
    }

    @Test func aChunkedBodyWithoutItsLastChunkIsIncomplete() throws {
        let cut = try Self.decode(String(Self.chunked.dropLast(5)))
        #expect(!cut.decoder.isComplete)
        #expect(!cut.decoder.endsAtClose)
    }

    @Test func contentLengthAndInterimResponses() throws {
        let response = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 400 Bad Request\r\nContent-Length: 13\r\n\r\n{\"a\":\"bcdef\"}"
        let decoded = try Self.decode(response, cuts: [10, 30])
        #expect(decoded.decoder.status == 400)
        #expect(decoded.decoder.isComplete)
        #expect(decoded.body == "{\"a\":\"bcdef\"}")
        #expect(try !Self.decode(String(response.dropLast())).decoder.isComplete)
    }

    @Test func aBodyWithoutFramingEndsAtClose() throws {
        let decoded = try Self.decode("HTTP/1.0 200 OK\r\n\r\n[1]\n[2]\n")
        #expect(decoded.decoder.endsAtClose)
        #expect(!decoded.decoder.isComplete)
        #expect(decoded.body == "[1]\n[2]\n")
    }

    @Test(arguments: [
        ("SSH-2.0-OpenSSH_9.6\r\n\r\n", "not an HTTP/1.1 response (SSH-2.0-OpenSSH_9.6)"),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "an invalid HTTP chunk size"),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n", "an HTTP chunk not followed by CRLF"),
        ("HTTP/1.1 200 OK\r\nContent-Length: -4\r\n\r\n", "an invalid Content-Length (-4)"),
    ])
    func malformedResponsesFail(response: String, message: String) {
        #expect(throws: PlainHTTPResponseDecoder.Malformed(description: message)) { try Self.decode(response) }
    }
}
