/// A failed S3 request, worded for people: the status, S3's error code and message, and the object's
/// URL; never a credential.
package struct S3Error: Error, CustomStringConvertible, Sendable {
    package var status: Int
    package var code: String
    package var message: String
    package var url: String

    package init(status: Int, code: String, message: String, url: String) {
        self.status = status
        self.code = code
        self.message = message
        self.url = url
    }

    package var description: String {
        let what: String
        switch (status, code) {
        case (403, "SignatureDoesNotMatch"), (403, "InvalidAccessKeyId"), (403, "AccessDenied"), (403, "ExpiredToken"):
            what = "S3 refused the credentials"
        case (404, "NoSuchBucket"): what = "S3 has no such bucket"
        case (0, _): what = "S3 could not be reached"
        default: what = "S3 failed the request"
        }
        return "\(what) (\(status == 0 ? "" : "\(status) ")\(code)) for \(url)" + (message.isEmpty ? "" : ": \(message)")
    }
}
