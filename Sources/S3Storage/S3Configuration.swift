import Foundation

/// Where a bucket is and how to sign for it: region, endpoint (AWS when nil; MinIO, R2, moto when
/// set), path-style addressing, and the credentials.
package struct S3Configuration: Sendable {
    package var bucket: String
    package var region: String
    /// `http(s)://host:port` of an S3-compatible server; nil for AWS.
    package var endpoint: URL?
    /// `https://endpoint/bucket/key` rather than `https://bucket.endpoint/key` (on by default with an endpoint).
    package var pathStyle: Bool
    package var credentials: AWSCredentials
    /// Multipart part size: memory per upload is one part.
    package var partSize = 8 << 20
    /// Attempts of an idempotent request (the first and its retries).
    package var maxAttempts = 5

    package init(bucket: String, region: String, endpoint: URL?, pathStyle: Bool? = nil, credentials: AWSCredentials) {
        self.bucket = bucket
        self.region = region
        self.endpoint = endpoint
        self.pathStyle = pathStyle ?? (endpoint != nil)
        self.credentials = credentials
    }

    /// From the AWS conventions every tool honours: `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
    /// `AWS_SESSION_TOKEN`, `AWS_REGION` / `AWS_DEFAULT_REGION`, `AWS_ENDPOINT_URL_S3` /
    /// `AWS_ENDPOINT_URL`. Explicit values win; a missing key names the variable, never a value.
    package static func fromEnvironment(bucket: String, region: String? = nil, endpoint: String? = nil, pathStyle: Bool? = nil,
                                        accessKeyEnv: String = "AWS_ACCESS_KEY_ID", secretKeyEnv: String = "AWS_SECRET_ACCESS_KEY",
                                        environment: [String: String] = ProcessInfo.processInfo.environment) throws(S3ConfigurationError) -> S3Configuration {
        guard let key = environment[accessKeyEnv], !key.isEmpty else { throw S3ConfigurationError("environment variable \(accessKeyEnv) is not set (the S3 access key id)") }
        guard let secret = environment[secretKeyEnv], !secret.isEmpty else { throw S3ConfigurationError("environment variable \(secretKeyEnv) is not set (the S3 secret access key)") }
        let credentials = AWSCredentials(accessKeyID: key, secretAccessKey: secret, sessionToken: environment["AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 })
        let region = region ?? environment["AWS_REGION"] ?? environment["AWS_DEFAULT_REGION"] ?? "us-east-1"
        let endpointText = endpoint ?? environment["AWS_ENDPOINT_URL_S3"] ?? environment["AWS_ENDPOINT_URL"]
        var url: URL?
        if let endpointText {
            guard let u = URL(string: endpointText), let scheme = u.scheme?.lowercased(), scheme == "http" || scheme == "https", u.host != nil else {
                throw S3ConfigurationError("the S3 endpoint \(endpointText) is not an http(s) URL")
            }
            url = u
        }
        return S3Configuration(bucket: bucket, region: region, endpoint: url, pathStyle: pathStyle, credentials: credentials)
    }
}

/// A configuration that cannot reach S3 (a missing variable, a bad endpoint).
package struct S3ConfigurationError: Error, CustomStringConvertible, Sendable {
    package var description: String
    package init(_ description: String) { self.description = description }
}
