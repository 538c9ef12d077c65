import Foundation
import LakeStorage
import NIOCore
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// An object being uploaded: a small one is one PUT at `finish()`; past one part, a multipart upload
/// streams the parts as they fill and completes at `finish()`, so the object appears whole or not at
/// all. A full part goes up on a thread of its own while the writer fills the next one (at most one
/// part in flight per object; memory: the part filling and the part in flight, sent without a copy).
/// `abort()` aborts the upload, or deletes an object already complete.
final class S3StagedObject: StagedObject {
    let client: S3Client
    let path: LakePath
    let key: String
    /// The part being filled; never grows past one part.
    private var buffer: ByteBuffer
    private var uploadId: String?
    private var etags: [String] = []
    private var inFlight: PartUpload?
    private var finished = false
    private(set) var bytesWritten = 0

    /// One part's upload on its own thread; `wait()` gives its ETag or its error.
    final class PartUpload: Sendable {
        private let result = Mutex<Result<String, any Error>?>(nil)
        private let done = DispatchSemaphore(value: 0)

        init(client: S3Client, key: String, uploadId: String, number: Int, bytes: ByteBuffer) {
            let thread = Thread { [self] in
                let r = Result { try client.uploadPart(key, uploadId: uploadId, number: number, bytes) }
                result.withLock { $0 = r }
                done.signal()
            }
            thread.name = "s3-part"
            thread.start()
        }

        func wait() throws -> String {
            done.wait()
            done.signal()  // a second wait (abort after a failed finish) returns at once
            return try result.withLock { $0! }.get()
        }
    }

    init(client: S3Client, path: LakePath, key: String) {
        self.client = client
        self.path = path
        self.key = key
        Self.mapParts(size: client.configuration.partSize)
        buffer = ByteBufferAllocator().buffer(capacity: client.configuration.partSize)
    }

    /// glibc serves a block the size of a part from a mapping of its own at first, but raises its mmap
    /// threshold to the size of the first such block freed; parts then come from the heap, and the
    /// freed ones stay resident (peak RSS grew all through an export: 145 MB at 5M rows against 72 MB
    /// on a local root). A fixed threshold at the part size keeps each part its own mapping, resident
    /// only as far as it is filled and returned when freed; smaller blocks are served from the heap,
    /// as the adjusted threshold would serve them. (Process-wide, so only set once the lake is on S3.)
    static func mapParts(size: Int) {
        #if canImport(Glibc)
        // mallopt(M_MMAP_THRESHOLD, …): malloc.h is not in Swift's Glibc module, so found by name.
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        let mMmapThreshold: Int32 = -3
        _ = unsafeBitCast(symbol, to: Mallopt.self)(mMmapThreshold, Int32(min(size, 32 << 20)))  // glibc's largest: 32 MiB
        #endif
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        let part = client.configuration.partSize
        var rest = bytes
        while !rest.isEmpty {
            let n = min(part - buffer.readableBytes, rest.count)
            buffer.writeBytes(UnsafeRawBufferPointer(rebasing: rest[..<n]))
            rest = UnsafeRawBufferPointer(rebasing: rest[n...])
            bytesWritten += n
            if buffer.readableBytes == part { try send() }
        }
    }

    /// Starts the upload of the full buffer once the previous part is up, and takes a fresh buffer.
    private func send() throws {
        if uploadId == nil { uploadId = try client.createMultipartUpload(key) }
        try awaitInFlight()
        inFlight = PartUpload(client: client, key: key, uploadId: uploadId!, number: etags.count + 1, bytes: buffer)
        // A new buffer rather than a recycled one: the pages of a part are only resident as it fills,
        // and a sent part is freed as soon as its upload is done (several day files fill at once).
        buffer = ByteBufferAllocator().buffer(capacity: client.configuration.partSize)
    }

    private func awaitInFlight() throws {
        guard let upload = inFlight else { return }
        inFlight = nil
        etags.append(try upload.wait())
    }

    func finish() throws {
        guard !finished else { return }
        if let uploadId {
            try awaitInFlight()
            if buffer.readableBytes > 0 { etags.append(try client.uploadPart(key, uploadId: uploadId, number: etags.count + 1, buffer)) }
            try client.completeMultipartUpload(key, uploadId: uploadId, etags: etags)
        } else {
            try client.put(key, buffer)
        }
        release()
        finished = true
    }

    func abort() {
        // A part still going up must land (or fail) before the upload is aborted, or it would outlive it.
        if let upload = inFlight { _ = try? upload.wait() }
        inFlight = nil
        if let uploadId, !finished { try? client.abortMultipartUpload(key, uploadId: uploadId) }
        if finished { try? client.delete([key]) }
        release()
        finished = true
    }

    private func release() {
        buffer = ByteBufferAllocator().buffer(capacity: 0)
    }
}
