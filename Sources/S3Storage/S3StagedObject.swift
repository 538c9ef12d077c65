import LakeStorage

/// An object being uploaded: a small one is one PUT at `finish()`; past one part, a multipart upload
/// streams the parts as they fill (memory: one part) and completes at `finish()`, so the object
/// appears whole or not at all. `abort()` aborts the upload, or deletes an object already complete.
final class S3StagedObject: StagedObject {
    let client: S3Client
    let path: LakePath
    let key: String
    private var buffer: [UInt8] = []
    private var uploadId: String?
    private var etags: [String] = []
    private var finished = false
    private(set) var bytesWritten = 0

    init(client: S3Client, path: LakePath, key: String) {
        self.client = client
        self.path = path
        self.key = key
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        buffer.append(contentsOf: bytes)
        bytesWritten += bytes.count
        let part = client.configuration.partSize
        while buffer.count >= part {
            if uploadId == nil { uploadId = try client.createMultipartUpload(key) }
            let chunk = Array(buffer[0..<part])
            buffer.removeFirst(part)
            etags.append(try client.uploadPart(key, uploadId: uploadId!, number: etags.count + 1, chunk))
        }
    }

    func finish() throws {
        guard !finished else { return }
        if let uploadId {
            if !buffer.isEmpty { etags.append(try client.uploadPart(key, uploadId: uploadId, number: etags.count + 1, buffer)) }
            try client.completeMultipartUpload(key, uploadId: uploadId, etags: etags)
        } else {
            try client.put(key, buffer)
        }
        buffer = []
        finished = true
    }

    func abort() {
        if let uploadId, !finished { try? client.abortMultipartUpload(key, uploadId: uploadId) }
        if finished { try? client.delete([key]) }
        buffer = []
        finished = true
    }
}
