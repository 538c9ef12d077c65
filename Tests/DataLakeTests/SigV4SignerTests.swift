import Foundation
import Testing
@testable import S3Storage

/// SigV4 against AWS's published test suite (AKIDEXAMPLE, 2015-08-30T12:36:00Z, us-east-1,
/// service "service") and the S3 GET Object example of the S3 API reference.
@Suite struct SigV4SignerTests {
    static let suite = SigV4Signer(credentials: AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
                                   region: "us-east-1", service: "service")
    static let at = Date(timeIntervalSince1970: 1_440_938_160) // 2015-08-30T12:36:00Z

    /// The Authorization header for a suite request (x-amz-date is a signed header, no content hash).
    static func authorization(_ method: String, _ path: String, query: [(String, String)] = [], headers: [(String, String)] = []) -> String {
        let s = Self.suite
        let (amzDate, day) = SigV4Signer.timestamps(at)
        let (creq, signed) = s.canonicalRequest(method: method, path: path, query: query,
                                                headers: [("Host", "example.amazonaws.com"), ("X-Amz-Date", amzDate)] + headers,
                                                payloadHash: SigV4Signer.emptyPayloadHash)
        let sts = s.stringToSign(canonicalRequest: creq, amzDate: amzDate, day: day)
        return "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/\(s.scope(day: day)), SignedHeaders=\(signed), Signature=\(s.signature(stringToSign: sts, day: day))"
    }

    @Test func theSuiteVectors() {
        let prefix = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
        #expect(Self.authorization("GET", "/") == prefix + "SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
        #expect(Self.authorization("POST", "/") == prefix + "SignedHeaders=host;x-amz-date, Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b")
        #expect(Self.authorization("GET", "/", query: [("Param2", "value2"), ("Param1", "value1")])
                == prefix + "SignedHeaders=host;x-amz-date, Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500")
        #expect(Self.authorization("POST", "/", headers: [("My-Header1", "VALUE1")])
                == prefix + "SignedHeaders=host;my-header1;x-amz-date, Signature=cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d")
        #expect(Self.authorization("GET", "/", headers: [("My-Header1", " value1"), ("My-Header2", "\"a   b   c\"")])
                == prefix + "SignedHeaders=host;my-header1;my-header2;x-amz-date, Signature=acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736")
        #expect(Self.authorization("GET", "/", headers: [("My-Header1", "value2"), ("My-Header1", "value2"), ("My-Header1", "value1")])
                == prefix + "SignedHeaders=host;my-header1;x-amz-date, Signature=c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea")
        #expect(Self.authorization("GET", "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
                == prefix + "SignedHeaders=host;x-amz-date, Signature=07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f")
    }

    @Test func theCanonicalRequestAndStringToSignOfGetVanilla() {
        let (creq, _) = Self.suite.canonicalRequest(method: "GET", path: "/", query: [],
                                                    headers: [("Host", "example.amazonaws.com"), ("X-Amz-Date", "20150830T123600Z")],
                                                    payloadHash: SigV4Signer.emptyPayloadHash)
        #expect(creq == "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" + SigV4Signer.emptyPayloadHash)
        #expect(Self.suite.stringToSign(canonicalRequest: creq, amzDate: "20150830T123600Z", day: "20150830")
                == "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\nbb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63")
    }

    @Test func theS3GetObjectExample() {
        let s3 = SigV4Signer(credentials: AWSCredentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
                             region: "us-east-1")
        let headers = s3.sign(method: "GET", path: "/test.txt", query: [],
                              headers: [("Host", "examplebucket.s3.amazonaws.com"), ("Range", "bytes=0-9")],
                              payloadHash: SigV4Signer.emptyPayloadHash, date: Date(timeIntervalSince1970: 1_369_353_600))
        #expect(headers.first { $0.0 == "Authorization" }?.1
                == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
        #expect(!AWSCredentials(accessKeyID: "AKIA", secretAccessKey: "topsecret").description.contains("topsecret"))
    }
}

/// The same requests signed by botocore (the venv's, run by the test) and by our signer.
@Suite struct SigV4BotocoreTests {
    static let python = FileManager.default.currentDirectoryPath + "/.venv/bin/python"

    struct Request {
        var method: String
        var path: String
        var query: [(String, String)]
        var headers: [(String, String)]
        var body: String
    }

    static let requests = [
        Request(method: "PUT", path: "/demo/lake/a%20b.parquet", query: [("partNumber", "2"), ("uploadId", "xyz")], headers: [("If-None-Match", "*")], body: "hello"),
        Request(method: "GET", path: "/demo/", query: [("list-type", "2"), ("prefix", "lake/streams/"), ("continuation-token", "a+b/c=")], headers: [], body: ""),
        Request(method: "POST", path: "/demo/", query: [("delete", "")], headers: [("Content-Type", "application/xml")], body: "<Delete><Object><Key>k</Key></Object></Delete>"),
        Request(method: "DELETE", path: "/demo/lake/%C3%A9t%C3%A9.bin", query: [("uploadId", "u-1")], headers: [], body: ""),
    ]

    @Test(.enabled(if: FileManager.default.fileExists(atPath: python), "needs the venv (make venv)"))
    func botocoreSignsTheSameRequestsTheSame() async throws {
        let script = """
            import json, sys
            from urllib.parse import quote
            from botocore.auth import S3SigV4Auth
            from botocore.awsrequest import AWSRequest
            from botocore.credentials import Credentials
            for r in json.load(sys.stdin):
                q = "&".join(quote(k, safe="-_.~") + "=" + quote(v, safe="-_.~") for k, v in r["query"])
                req = AWSRequest(method=r["method"], url="http://127.0.0.1:9000" + r["path"] + ("?" + q if q else ""),
                                 data=r["body"].encode(), headers=dict(r["headers"]))
                auth = S3SigV4Auth(Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "tok/en=="), "s3", "eu-west-3")
                req.context["timestamp"] = "20240102T030405Z"
                auth._modify_request_before_signing(req)
                print(auth.signature(auth.string_to_sign(req, auth.canonical_request(req)), req))
            """
        let input = "[" + Self.requests.map { r in
            let q = r.query.map { "[\"\($0.0)\", \"\($0.1)\"]" }.joined(separator: ", ")
            let h = r.headers.map { "[\"\($0.0)\", \"\($0.1)\"]" }.joined(separator: ", ")
            return "{\"method\": \"\(r.method)\", \"path\": \"\(r.path)\", \"query\": [\(q)], \"headers\": [\(h)], \"body\": \"\(r.body)\"}"
        }.joined(separator: ", ") + "]"
        let python = Self.python
        let (theirs, status) = try await offPool { () throws -> ([String], Int32) in
            let p = Process()
            p.executableURL = URL(fileURLWithPath: python)
            p.arguments = ["-c", script]
            let stdin = Pipe(), stdout = Pipe()
            p.standardInput = stdin
            p.standardOutput = stdout
            try p.run()
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try stdin.fileHandleForWriting.close()
            let lines = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: "\n").map(String.init)
            p.waitUntilExit()
            return (lines, p.terminationStatus)
        }
        #expect(status == 0)
        let signer = SigV4Signer(credentials: AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                                                             sessionToken: "tok/en=="), region: "eu-west-3")
        let at = Date(timeIntervalSince1970: 1_704_164_645) // 2024-01-02T03:04:05Z
        #expect(theirs.count == Self.requests.count)
        for (r, signature) in zip(Self.requests, theirs) {
            let headers = signer.sign(method: r.method, path: r.path, query: r.query, headers: [("host", "127.0.0.1:9000")] + r.headers,
                                      payloadHash: SigV4Signer.sha256Hex(Array(r.body.utf8)), date: at)
            let ours = headers.first { $0.0 == "Authorization" }!.1.components(separatedBy: "Signature=").last
            #expect(ours == signature, "\(r.method) \(r.path)")
        }
    }
}
