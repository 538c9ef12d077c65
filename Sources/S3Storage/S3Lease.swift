import Foundation
import LakeStorage
import Synchronization

/// The lake's lock on S3: a lease object created with `If-None-Match: *`, holding owner, host, pid
/// and expiry, renewed while its holder runs. A lease past its expiry (its holder died) is taken
/// over; a live one fails at once, naming its holder. Released by deleting the object.
final class S3Lease: LakeLock {
    let client: S3Client
    let key: String
    let owner: String
    private let stop = Stop()

    /// Shared with the renewing thread, which must not keep the lease itself alive.
    final class Stop: Sendable {
        let flag = Mutex(false)
        let exited = Mutex(false)
    }
    static let ttl: TimeInterval = 120

    /// Takes the lease, or fails at once naming its holder. The object exists only once the lease
    /// is ours, so a failed take never deletes another apply's lease.
    static func acquire(client: S3Client, key: String) throws(StorageError) -> S3Lease {
        let owner = UUID().uuidString
        do {
            if !(try client.putIfAbsent(key, body(owner: owner))) {
                let holder = try client.get(key, limit: 1 << 20).map { String(decoding: $0, as: UTF8.self) } ?? ""
                let expires = field("expires", in: holder).flatMap(Double.init) ?? 0
                guard expires < Date().timeIntervalSince1970 else {
                    throw StorageError(client.url(key), "another datalake apply holds its lock (\(describe(holder))); try again when it ends")
                }
                // Stale: its holder stopped renewing it. Take it over, still without racing another taker.
                FileHandle.standardError.write(Data("taking over a stale lock \(client.url(key)) (\(describe(holder)))\n".utf8))
                try client.delete([key])
                guard try client.putIfAbsent(key, body(owner: owner)) else {
                    throw StorageError(client.url(key), "another datalake apply took the stale lock first; try again")
                }
            }
        } catch let error as StorageError {
            throw error
        } catch {
            throw StorageError(client.url(key), "\(error)")
        }
        return S3Lease(client: client, key: key, owner: owner)
    }

    private init(client: S3Client, key: String, owner: String) {
        self.client = client
        self.key = key
        self.owner = owner
        let stop = stop
        let t = Thread { Self.renew(client: client, key: key, owner: owner, stop: stop) }
        t.name = "s3-lease"
        t.start()
    }

    func body() -> [UInt8] { Self.body(owner: owner) }

    static func body(owner: String) -> [UInt8] {
        let host = ProcessInfo.processInfo.hostName
        let expires = Date().timeIntervalSince1970 + Self.ttl
        return Array("{\"owner\": \"\(owner)\", \"host\": \"\(host)\", \"pid\": \(getpid()), \"expires\": \(Int(expires))}\n".utf8)
    }

    static func field(_ name: String, in json: String) -> String? {
        guard let r = json.range(of: "\"\(name)\": ") else { return nil }
        let rest = json[r.upperBound...]
        let value = rest.prefix { $0 != "," && $0 != "}" }
        return value.trimmingCharacters(in: CharacterSet(charactersIn: "\" \n"))
    }

    static func describe(_ holder: String) -> String {
        let host = field("host", in: holder) ?? "?"
        let pid = field("pid", in: holder) ?? "?"
        let expires = field("expires", in: holder).flatMap(Double.init).map { ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: $0)) } ?? "?"
        return "pid \(pid) on \(host), lease until \(expires)"
    }

    private static func renew(client: S3Client, key: String, owner: String, stop: Stop) {
        var last = Date()
        while !stop.flag.withLock({ $0 }) {
            usleep(200_000)
            if Date().timeIntervalSince(last) > ttl / 3 {
                try? client.put(key, body(owner: owner))
                last = Date()
            }
        }
        stop.exited.withLock { $0 = true }
    }

    deinit {
        stop.flag.withLock { $0 = true }
        // A renewal in flight must land before the delete, or it would leave the lease behind.
        for _ in 0..<600 where !stop.exited.withLock({ $0 }) { usleep(10_000) }
        try? client.delete([key])
    }
}
