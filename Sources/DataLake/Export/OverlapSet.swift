/// The fingerprints of the stream rows exported with ROWTIME at or after `watermark - lateness`, as a
/// multiset: when the next export reads that window again, a row is dropped as many times as it was
/// already exported, so real duplicates in the source survive and nothing is exported twice.
package struct OverlapSet: Sendable {
    /// A row's identity: its ROWTIME and the fingerprint of its bytes.
    package struct Key: Hashable, Sendable {
        package var time: Int64
        package var hash: UInt64
    }

    package private(set) var counts: [Key: Int] = [:]
    /// The ROWTIMEs present: most rows read again are checked against this before being hashed.
    private var times: Set<Int64> = []

    package init() {}

    /// 16 bytes a row: far more rows than any lateness window of a real stream holds.
    package static let maxBytes = 1 << 31

    package var count: Int { counts.values.reduce(0, +) }

    package mutating func insert(_ key: Key) {
        counts[key, default: 0] += 1
        times.insert(key.time)
    }

    package func contains(time: Int64) -> Bool { times.contains(time) }

    package func multiplicity(_ key: Key) -> Int { counts[key] ?? 0 }

    /// Forgets rows older than `time`: they can no longer be read again.
    package mutating func removeAll(before time: Int64) {
        counts = counts.filter { $0.key.time >= time }
        times = times.filter { $0 >= time }
    }

    /// Sorted 16-byte little-endian records (time, hash), one per occurrence.
    package var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(count * 16)
        for (key, n) in counts.sorted(by: { ($0.key.time, $0.key.hash) < ($1.key.time, $1.key.hash) }) {
            for _ in 0..<n {
                withUnsafeBytes(of: key.time.littleEndian) { out.append(contentsOf: $0) }
                withUnsafeBytes(of: key.hash.littleEndian) { out.append(contentsOf: $0) }
            }
        }
        return out
    }

    package init(bytes: [UInt8]) throws(DataLakeError) {
        guard bytes.count % 16 == 0 else { throw DataLakeError("overlap file is truncated (\(bytes.count) bytes)") }
        bytes.withUnsafeBytes { raw in
            var i = 0
            while i < raw.count {
                let t = Int64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: Int64.self))
                let h = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self))
                counts[Key(time: t, hash: h), default: 0] += 1
                times.insert(t)
                i += 16
            }
        }
    }
}
