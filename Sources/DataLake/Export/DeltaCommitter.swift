import DeltaLake
import Foundation
import KsqlDBClient
import LakeStorage

/// Writes a Delta feed's log commits. The commit is the create-if-absent of the next version file;
/// each carries a `txn` (appId = the feed, version = datalake's commit sequence), so a retried
/// commit is recognised as done, and a version taken by another writer is an error, never an
/// overwrite. `_metadata.json` follows the log: `catchUp` folds into it what a commit made after the
/// metadata was last written (a crash between the two).
struct DeltaCommitter {
    let storage: any LakeStorage
    let spec: FeedSpec
    /// Epoch ms of the commit.
    let now: Int64

    var log: DeltaLog { DeltaLog(storage: storage, table: LakeLayout.dataDirectory(spec)) }

    /// Commits `change` as transaction `txn` unless the log already holds it; returns the log
    /// version that holds it.
    func commit(_ change: DeltaChange, txn: Int64, metadata: FeedMetadata) throws -> Int {
        let log = self.log
        // One listing of the log for both questions (a request on S3).
        let versions = try log.versions()
        let latest = versions.last
        if let latest, let done = try log.transactionVersion(appId: spec.name, after: metadata.deltaVersion, versions: versions), done >= txn {
            return latest
        }
        let version = (latest ?? -1) + 1
        var actions: [DeltaAction] = []
        if latest == nil { actions.append(.protocol(minReaderVersion: 1, minWriterVersion: 2)) }
        if latest == nil || change.writesMetadata {
            guard let id = metadata.deltaTableId else { throw DataLakeError("\(spec.name): the metadata has no Delta table id") }
            actions.append(.metaData(DeltaMetadata(id: id, schema: try spec.deltaSchema(change.fields), partitionColumns: spec.deltaPartitionColumns,
                                                   createdTime: now, name: spec.name, description: spec.description)))
        }
        let timestampScale: Int64 = 1000
        for file in change.removed {
            actions.append(.remove(DeltaRemoveFile(path: file.path, partitionValues: spec.deltaPartitionValues(of: file.path),
                                                   size: Int64(file.bytes), deletionTimestamp: now)))
        }
        for file in change.added {
            let stats = DeltaStatsBuilder.stats(fields: change.fields, footer: file.footer, rows: file.rows, timestampsPerMillisecond: timestampScale)
            actions.append(.add(DeltaAddFile(path: file.relativePath, partitionValues: spec.deltaPartitionValues(of: file.relativePath),
                                             size: Int64(file.bytes), modificationTime: now, stats: stats)))
        }
        actions.append(.txn(appId: spec.name, version: txn, lastUpdated: now))
        var parameters: [(String, String)] = []
        if let mode = change.mode { parameters.append(("mode", mode)) }
        parameters.append(("partitionBy", DeltaJSON.array(spec.deltaPartitionColumns.map(DeltaJSON.string)).rendered))
        if !change.checks.isEmpty {
            parameters.append(("checks", DeltaJSON.array(change.checks.map { c in
                .object([("check", .string(c.check.name)), ("severity", .string(c.check.severity.rawValue)),
                         ("rows_checked", .int(Int64(c.rowsChecked))), ("rows_failed", .int(Int64(c.failed)))])
            }).rendered))
        }
        let metrics: [(String, String)] = [
            ("numFiles", String(change.added.count)),
            ("numOutputRows", String(change.added.reduce(0) { $0 + $1.rows })),
            ("numOutputBytes", String(change.added.reduce(0) { $0 + $1.bytes })),
            ("numRemovedFiles", String(change.removed.count)),
            ("numRemovedRows", String(change.removed.reduce(0) { $0 + $1.rows })),
            ("numRemovedBytes", String(change.removed.reduce(0) { $0 + $1.bytes })),
        ]
        actions.append(.commitInfo(DeltaCommitInfo(timestamp: now, operation: change.operation, operationParameters: parameters,
                                                   operationMetrics: metrics, engineInfo: DataLakeVersion.engineInfo,
                                                   isBlindAppend: change.removed.isEmpty && change.mode == "Append")))
        try storage.makeDirectories(log.directory, mode: spec.access.directoryMode)
        guard try log.write(actions, version: version, mode: spec.access.fileMode) else {
            throw DataLakeError("another writer committed version \(version) of feed \(spec.name)'s Delta log "
                                + "(\(storage.describe(log.directory.appending(DeltaLog.commitName(version))))); run `datalake plan` again")
        }
        Failpoint.pause("after-delta-commit")
        return version
    }

    /// Folds into `metadata` the commits datalake made after it was written: their removes leave
    /// its file list; the versions and the transaction move up. True when anything changed.
    func catchUp(_ metadata: inout FeedMetadata) throws -> Bool {
        let log = self.log
        var changed = false
        for v in try log.versions() where v > (metadata.deltaVersion ?? -1) {
            let entries = try log.entries(v) ?? []
            guard let txn = entries.compactMap({ $0.txn }).first(where: { $0.appId == spec.name }), txn.version > (metadata.deltaTxn ?? 0) else { continue }
            if let id = entries.compactMap({ $0.metaData?.id }).last { metadata.deltaTableId = id }
            let removed = Set(entries.compactMap { $0.remove?.path.removingPercentEncoding })
            metadata.files.removeAll { removed.contains($0.path) }
            metadata.deltaTxn = txn.version
            metadata.deltaVersion = v
            changed = true
        }
        return changed
    }
}
