import Foundation
import LakeStorage

/// The transaction log of one Delta table, `<table>/_delta_log/`, read and written through the
/// storage seam. A commit is the create-if-absent of the next `%020d.json`: of two writers racing
/// for a version exactly one wins, and nothing is ever overwritten.
package struct DeltaLog: Sendable {
    package let storage: any LakeStorage
    /// The table's directory.
    package let table: LakePath

    package init(storage: any LakeStorage, table: LakePath) {
        self.storage = storage
        self.table = table
    }

    package static let directoryName = "_delta_log"
    /// A commit file larger than this is refused: ours are a few kilobytes.
    package static let maxCommitBytes = 64 << 20

    package var directory: LakePath { table.appending(Self.directoryName) }

    /// `00000000000000000007.json` for version 7.
    package static func commitName(_ version: Int) -> String {
        let digits = String(version)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits + ".json"
    }

    /// `00000000000000000010.checkpoint.parquet` for version 10.
    package static func checkpointName(_ version: Int) -> String {
        String(commitName(version).dropLast(5)) + ".checkpoint.parquet"
    }

    /// The version a checkpoint file's name stands for, nil for other files.
    package static func version(ofCheckpoint name: String) -> Int? {
        guard name.utf8.count == 39, name.hasSuffix(".checkpoint.parquet") else { return nil }
        return leadingVersion(name)
    }

    /// Where readers learn the latest checkpoint without listing.
    package static let lastCheckpointName = "_last_checkpoint"

    /// The version a commit file's name stands for, nil for other files (checkpoints, temporaries).
    package static func version(ofCommit name: String) -> Int? {
        guard name.utf8.count == 25, name.hasSuffix(".json") else { return nil }
        return leadingVersion(name)
    }

    /// The 20 leading digits of a log file's name, on the bytes (a plan reads every log entry's name).
    static func leadingVersion(_ name: String) -> Int? {
        var v = 0
        var count = 0
        for b in name.utf8 {
            if count == 20 { break }
            guard b >= 0x30 && b <= 0x39 else { return nil }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int(b - 0x30))
            if o1 || o2 { return nil }
            v = a
            count += 1
        }
        return count == 20 ? v : nil
    }

    /// Versions of the commit files present, ascending.
    package func versions() throws(StorageError) -> [Int] {
        try storage.list(under: directory).compactMap { entry in
            entry.kind == .file && entry.path.parent == directory ? Self.version(ofCommit: entry.path.name) : nil
        }.sorted()
    }

    /// The table's current version, nil when it has no commit yet.
    package func latestVersion() throws(StorageError) -> Int? { try versions().last }

    /// The actions of commit `version`, nil when there is no such commit.
    package func entries(_ version: Int) throws -> [DeltaLogEntry]? {
        guard let bytes = try storage.read(directory.appending(Self.commitName(version)), limit: Self.maxCommitBytes) else { return nil }
        return try DeltaLogEntry.parse(bytes, file: storage.describe(directory.appending(Self.commitName(version))))
    }

    /// Writes commit `version` only when no commit of that version exists; false when one does.
    package func write(_ actions: [DeltaAction], version: Int, mode: UInt16 = 0o644) throws(StorageError) -> Bool {
        try storage.createIfAbsent(directory.appending(Self.commitName(version)), DeltaAction.commitBytes(actions), mode: mode)
    }

    /// The highest transaction version `appId` recorded in the commits after `after` (all when nil).
    /// `versions`, when the caller has just listed them, saves listing the log again.
    package func transactionVersion(appId: String, after: Int?, versions listed: [Int]? = nil) throws -> Int64? {
        var found: Int64?
        for v in try listed ?? versions() where v > (after ?? -1) {
            for entry in try entries(v) ?? [] {
                if let txn = entry.txn, txn.appId == appId { found = max(found ?? txn.version, txn.version) }
            }
        }
        return found
    }

    /// A relative file path as the log holds it: a URI path, so characters outside the unreserved set
    /// (and `/`, `=`) are percent-encoded.
    package static func uriPath(_ path: String) -> String {
        var out = ""
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"), UInt8(ascii: "/"), UInt8(ascii: "="):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        return out
    }
}
