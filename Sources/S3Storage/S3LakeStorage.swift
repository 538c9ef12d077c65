import Foundation
import LakeStorage

/// The lake under `s3://bucket/prefix`. Objects have no rename, no directories and no modes: a
/// staged object is uploaded under its final name (a multipart upload appears only when complete),
/// so between an export's uploads and its metadata commit a reader that globs the prefix can see the
/// new files; the next plan lists any that no commit names as `cleanup`. The lock is a lease object.
package struct S3LakeStorage: LakeStorage {
    package let client: S3Client
    /// The key prefix of the lake, without a trailing slash ("" for the bucket's root).
    package let prefix: String

    package init(client: S3Client, prefix: String) {
        self.client = client
        var p = prefix
        while p.hasPrefix("/") { p.removeFirst() }
        while p.hasSuffix("/") { p.removeLast() }
        self.prefix = p
    }

    package var location: String { "s3://\(client.configuration.bucket)" + (prefix.isEmpty ? "" : "/\(prefix)") }

    package var capabilities: StorageCapabilities {
        StorageCapabilities(modes: false, directories: false, stagesInPlace: true, leaseLocks: true, tiering: .storageClasses)
    }

    func key(_ path: LakePath) -> String { prefix.isEmpty ? path.value : (path.isRoot ? prefix : prefix + "/" + path.value) }

    package func describe(_ path: LakePath) -> String { client.url(key(path)) }

    func wrap<T>(_ path: LakePath, _ body: () throws -> T) throws(StorageError) -> T {
        do { return try body() } catch { throw StorageError(describe(path), "\(error)") }
    }

    package func read(_ path: LakePath, limit: Int) throws(StorageError) -> [UInt8]? {
        try wrap(path) { try client.get(key(path), limit: limit) }
    }

    package func entry(at path: LakePath) throws(StorageError) -> StorageEntry? {
        try wrap(path) {
            if !path.isRoot, let size = try client.head(key(path)) { return StorageEntry(path: path, kind: .file, size: size, mode: nil) }
            // A "directory" is a prefix with objects below it.
            let below = try client.list(prefix: key(path).isEmpty ? "" : key(path) + "/", maxKeys: 1)
            return below.isEmpty && !path.isRoot ? nil : StorageEntry(path: path, kind: .directory, size: 0, mode: nil)
        }
    }

    package func list(under base: LakePath) throws(StorageError) -> [StorageEntry] {
        let keyPrefix = key(base).isEmpty ? "" : key(base) + "/"
        let objects = try wrap(base) { try client.list(prefix: keyPrefix) }
        var out: [StorageEntry] = []
        let lakePrefix = prefix.isEmpty ? "" : prefix + "/"
        for object in objects {
            guard object.key.hasPrefix(lakePrefix), let path = try? LakePath(String(object.key.dropFirst(lakePrefix.count))),
                  !path.isRoot else { continue }
            var entry = StorageEntry(path: path, kind: .file, size: object.size, mode: nil, tier: object.storageClass)
            entry.modified = object.modified
            out.append(entry)
        }
        return out.sorted { $0.path < $1.path }
    }

    package func put(_ path: LakePath, _ bytes: [UInt8], mode: UInt16) throws(StorageError) {
        try wrap(path) { try client.put(key(path), bytes) }
    }

    package func createIfAbsent(_ path: LakePath, _ bytes: [UInt8], mode: UInt16) throws(StorageError) -> Bool {
        try wrap(path) { try client.putIfAbsent(key(path), bytes) }
    }

    /// Objects cannot be appended to: the log is read and written whole (logs are small).
    package func append(_ path: LakePath, _ bytes: [UInt8], mode: UInt16) throws(StorageError) {
        try wrap(path) {
            let old = try client.get(key(path), limit: 64 << 20) ?? []
            try client.put(key(path), old + bytes)
        }
    }

    package func stage(_ path: LakePath, mode: UInt16) throws(StorageError) -> any StagedObject {
        S3StagedObject(client: client, path: path, key: key(path))
    }

    package func stagedTarget(of path: LakePath) -> LakePath? { nil }

    /// Staged objects are already under their names: there is nothing to publish, only to check.
    package func publish(_ path: LakePath) throws(StorageError) -> PublishResult {
        try wrap(path) { try client.head(key(path)) != nil ? .alreadyPublished : .missing }
    }

    package func delete(_ paths: [LakePath]) throws(StorageError) {
        guard let first = paths.first else { return }
        try wrap(first) { try client.delete(paths.filter { !$0.isRoot }.map(key)) }
    }

    package func deleteTree(_ path: LakePath) throws(StorageError) {
        precondition(!path.isRoot, "refusing to delete the whole lake")
        try wrap(path) {
            let keys = try client.list(prefix: key(path) + "/").map(\.key)
            try client.delete(keys + [key(path)])
        }
    }

    package func removeDirectoryIfEmpty(_ path: LakePath) throws(StorageError) -> Bool { false }

    package func makeDirectories(_ path: LakePath, mode: UInt16) throws(StorageError) {}

    package func setMode(_ path: LakePath, _ mode: UInt16) throws(StorageError) {}

    package func breakLock(_ path: LakePath) throws(StorageError) -> String? {
        try wrap(path) {
            guard let holder = try client.get(key(path), limit: 1 << 20) else { return nil }
            try client.delete([key(path)])
            return S3Lease.describe(String(decoding: holder, as: UTF8.self))
        }
    }

    package func lock(_ path: LakePath) throws(StorageError) -> any LakeLock {
        try S3Lease.acquire(client: client, key: key(path))
    }

    /// CopyObject of each object onto itself with the new storage class: same key, same bytes.
    package func tier(_ paths: [LakePath], to tier: String) throws(StorageError) {
        for path in paths {
            try wrap(path) { try client.changeStorageClass(key(path), to: tier) }
        }
    }

    package func incompleteUploads(under base: LakePath) throws(StorageError) -> [LakePath] {
        let lakePrefix = prefix.isEmpty ? "" : prefix + "/"
        return try wrap(base) {
            try client.listMultipartUploads(prefix: key(base) + "/").compactMap { upload in
                upload.key.hasPrefix(lakePrefix) ? try? LakePath(String(upload.key.dropFirst(lakePrefix.count))) : nil
            }
        }
    }

    package func abortUploads(_ paths: [LakePath]) throws(StorageError) {
        guard let first = paths.first else { return }
        let keys = Set(paths.map(key))
        try wrap(first) {
            for upload in try client.listMultipartUploads(prefix: prefix.isEmpty ? "" : prefix + "/") where keys.contains(upload.key) {
                try client.abortMultipartUpload(upload.key, uploadId: upload.uploadId)
            }
        }
    }
}
