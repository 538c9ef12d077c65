import DeltaLake
import KsqlDBClient
import KsqlParquet
import LakeStorage
import Parquet

/// Writes a Delta feed's checkpoint every `interval` versions: a Parquet file (our own writer) with
/// the table's state at that version — protocol, metadata, the transaction and every live file —
/// and `_last_checkpoint` pointing at it, so readers need not replay every commit. The state comes
/// from `_metadata.json`, which summarises the log after each commit. Removed files are not listed
/// (no tombstones): datalake itself deletes them when it prunes or expires, never a vacuum.
struct DeltaCheckpointer {
    let storage: any LakeStorage
    let spec: FeedSpec
    let now: Int64

    static let interval = 10

    /// The checkpoint's columns, in the protocol's names, as the row encoder spells its types.
    static let fields: [KsqlField] = {
        let text = KsqlType.string, long = KsqlType.bigint, strings = KsqlType.map(key: .string, value: .string)
        return [
            KsqlField(name: "txn", type: .struct([KsqlField(name: "appId", type: text), KsqlField(name: "version", type: long),
                                                  KsqlField(name: "lastUpdated", type: long)])),
            KsqlField(name: "add", type: .struct([KsqlField(name: "path", type: text), KsqlField(name: "partitionValues", type: strings),
                                                  KsqlField(name: "size", type: long), KsqlField(name: "modificationTime", type: long),
                                                  KsqlField(name: "dataChange", type: .boolean), KsqlField(name: "stats", type: text)])),
            KsqlField(name: "remove", type: .struct([KsqlField(name: "path", type: text), KsqlField(name: "deletionTimestamp", type: long),
                                                     KsqlField(name: "dataChange", type: .boolean)])),
            KsqlField(name: "metaData", type: .struct([
                KsqlField(name: "id", type: text), KsqlField(name: "name", type: text), KsqlField(name: "description", type: text),
                KsqlField(name: "format", type: .struct([KsqlField(name: "provider", type: text), KsqlField(name: "options", type: strings)])),
                KsqlField(name: "schemaString", type: text), KsqlField(name: "partitionColumns", type: .array(.string)),
                KsqlField(name: "configuration", type: strings), KsqlField(name: "createdTime", type: long),
            ])),
            KsqlField(name: "protocol", type: .struct([KsqlField(name: "minReaderVersion", type: .integer),
                                                       KsqlField(name: "minWriterVersion", type: .integer)])),
        ]
    }()

    /// Checkpoints `metadata.deltaVersion` when it is due and not yet written.
    func checkpointIfDue(_ metadata: FeedMetadata) throws {
        guard spec.tableFormat == .delta, let version = metadata.deltaVersion, version > 0, version % Self.interval == 0 else { return }
        let log = DeltaLog(storage: storage, table: LakeLayout.dataDirectory(spec))
        let path = log.directory.appending(DeltaLog.checkpointName(version))
        if try storage.exists(path) { return }
        let lines = try rows(metadata)
        let object = try storage.stage(path, mode: spec.access.fileMode)
        do {
            let writer = try KsqlParquetWriter(fields: Self.fields, sink: StagedParquetSink(object), parallel: false)
            try writer.append(lines: Array(lines.joined(separator: "\n").utf8))
            _ = try writer.finish()
            try object.finish()
        } catch {
            object.abort()
            throw error
        }
        _ = try storage.publish(path)
        let pointer = DeltaJSON.object([("version", .int(Int64(version))), ("size", .int(Int64(lines.count)))]).rendered + "\n"
        try storage.put(log.directory.appending(DeltaLog.lastCheckpointName), Array(pointer.utf8), mode: spec.access.fileMode)
    }

    /// One row per action: a JSON array with the action in its column and nulls elsewhere.
    func rows(_ metadata: FeedMetadata) throws -> [String] {
        func row(_ column: Int, _ value: DeltaJSON) -> String {
            DeltaJSON.array((0..<Self.fields.count).map { $0 == column ? value : .null }).rendered
        }
        guard let id = metadata.deltaTableId else { throw DataLakeError("\(spec.name): the metadata has no Delta table id") }
        let schema = try spec.deltaSchema(try DeltaChange.fields(of: metadata))
        var out = [
            row(4, DeltaAction.protocol(minReaderVersion: 1, minWriterVersion: 2).body),
            row(3, DeltaAction.metaData(DeltaMetadata(id: id, schema: schema, partitionColumns: spec.deltaPartitionColumns, createdTime: now,
                                                      name: spec.name, description: spec.description)).body),
        ]
        if let txn = metadata.deltaTxn { out.append(row(0, DeltaAction.txn(appId: spec.name, version: txn, lastUpdated: now).body)) }
        let live = spec.type == .stream ? metadata.files : (metadata.latestVersion.map { [$0.file] } ?? [])
        for file in live {
            let add = DeltaAddFile(path: file.path, partitionValues: spec.deltaPartitionValues(of: file.path), size: Int64(file.bytes),
                                   modificationTime: now, dataChange: false, stats: DeltaFileStats(numRecords: Int64(file.rows)))
            out.append(row(1, DeltaAction.add(add).body))
        }
        return out
    }
}
