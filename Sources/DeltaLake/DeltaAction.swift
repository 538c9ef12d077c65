/// One action of a Delta commit (PROTOCOL.md, "Actions"): each is one line of the commit file.
package enum DeltaAction: Sendable, Equatable {
    /// Reader and writer protocol versions: (1, 2) needs no table features.
    case `protocol`(minReaderVersion: Int, minWriterVersion: Int)
    case metaData(DeltaMetadata)
    case add(DeltaAddFile)
    case remove(DeltaRemoveFile)
    /// An application's transaction version: how a retried write is recognised as done.
    case txn(appId: String, version: Int64, lastUpdated: Int64)
    case commitInfo(DeltaCommitInfo)

    package var json: DeltaJSON {
        switch self {
        case let .protocol(r, w):
            return .object([("protocol", .object([("minReaderVersion", .int(Int64(r))), ("minWriterVersion", .int(Int64(w)))]))])
        case let .metaData(m): return .object([("metaData", m.json)])
        case let .add(a): return .object([("add", a.json)])
        case let .remove(r): return .object([("remove", r.json)])
        case let .txn(appId, version, lastUpdated):
            return .object([("txn", .object([("appId", .string(appId)), ("version", .int(version)), ("lastUpdated", .int(lastUpdated))]))])
        case let .commitInfo(c): return .object([("commitInfo", c.json)])
        }
    }

    /// The action's own object, without the key that names its kind (a checkpoint's column value).
    package var body: DeltaJSON {
        guard case let .object(pairs) = json, let first = pairs.first else { return json }
        return first.1
    }

    /// The commit file's bytes: one JSON object per line.
    package static func commitBytes(_ actions: [DeltaAction]) -> [UInt8] {
        Array(actions.map { $0.json.rendered + "\n" }.joined().utf8)
    }
}

/// The table's metadata: its id, schema and partition columns.
package struct DeltaMetadata: Sendable, Equatable {
    package var id: String
    package var schema: [DeltaField]
    package var partitionColumns: [String]
    package var createdTime: Int64
    package var name: String?
    package var description: String?

    package init(id: String, schema: [DeltaField], partitionColumns: [String], createdTime: Int64, name: String? = nil, description: String? = nil) {
        self.id = id
        self.schema = schema
        self.partitionColumns = partitionColumns
        self.createdTime = createdTime
        self.name = name
        self.description = description
    }

    /// The schema as Delta stores it: a struct type, serialized to a JSON string.
    package var schemaString: String { DeltaType.struct(schema).json.rendered }

    var json: DeltaJSON {
        var pairs: [(String, DeltaJSON)] = [("id", .string(id))]
        if let name { pairs.append(("name", .string(name))) }
        if let description, !description.isEmpty { pairs.append(("description", .string(description))) }
        pairs += [
            ("format", .object([("provider", .string("parquet")), ("options", .object([]))])),
            ("schemaString", .string(schemaString)),
            ("partitionColumns", .array(partitionColumns.map(DeltaJSON.string))),
            ("configuration", .object([])),
            ("createdTime", .int(createdTime)),
        ]
        return .object(pairs)
    }
}

/// A data file the commit adds, with its partition values and statistics.
package struct DeltaAddFile: Sendable, Equatable {
    /// Relative to the table's directory, as a URI path.
    package var path: String
    package var partitionValues: [(String, String)]
    package var size: Int64
    package var modificationTime: Int64
    package var dataChange: Bool
    package var stats: DeltaFileStats?

    package init(path: String, partitionValues: [(String, String)], size: Int64, modificationTime: Int64, dataChange: Bool = true,
                 stats: DeltaFileStats?) {
        self.path = path
        self.partitionValues = partitionValues
        self.size = size
        self.modificationTime = modificationTime
        self.dataChange = dataChange
        self.stats = stats
    }

    package static func == (a: DeltaAddFile, b: DeltaAddFile) -> Bool { a.json == b.json }

    var json: DeltaJSON {
        var pairs: [(String, DeltaJSON)] = [
            ("path", .string(DeltaLog.uriPath(path))),
            ("partitionValues", .object(partitionValues.map { ($0.0, .string($0.1)) })),
            ("size", .int(size)),
            ("modificationTime", .int(modificationTime)),
            ("dataChange", .bool(dataChange)),
        ]
        if let stats { pairs.append(("stats", .string(stats.json.rendered))) }
        return .object(pairs)
    }
}

/// A data file the commit removes from the table (it stays on storage until vacuumed or expired).
package struct DeltaRemoveFile: Sendable, Equatable {
    package var path: String
    package var partitionValues: [(String, String)]
    package var size: Int64
    package var deletionTimestamp: Int64
    package var dataChange: Bool

    package init(path: String, partitionValues: [(String, String)], size: Int64, deletionTimestamp: Int64, dataChange: Bool = true) {
        self.path = path
        self.partitionValues = partitionValues
        self.size = size
        self.deletionTimestamp = deletionTimestamp
        self.dataChange = dataChange
    }

    package static func == (a: DeltaRemoveFile, b: DeltaRemoveFile) -> Bool { a.json == b.json }

    var json: DeltaJSON {
        .object([
            ("path", .string(DeltaLog.uriPath(path))),
            ("deletionTimestamp", .int(deletionTimestamp)),
            ("dataChange", .bool(dataChange)),
            ("extendedFileMetadata", .bool(true)),
            ("partitionValues", .object(partitionValues.map { ($0.0, .string($0.1)) })),
            ("size", .int(size)),
        ])
    }
}

/// Who wrote a commit and what it did (free-form in the protocol; these are the fields engines show).
package struct DeltaCommitInfo: Sendable, Equatable {
    package var timestamp: Int64
    package var operation: String
    package var operationParameters: [(String, String)]
    package var operationMetrics: [(String, String)]
    package var engineInfo: String
    package var isBlindAppend: Bool

    package init(timestamp: Int64, operation: String, operationParameters: [(String, String)] = [], operationMetrics: [(String, String)] = [],
                 engineInfo: String, isBlindAppend: Bool) {
        self.timestamp = timestamp
        self.operation = operation
        self.operationParameters = operationParameters
        self.operationMetrics = operationMetrics
        self.engineInfo = engineInfo
        self.isBlindAppend = isBlindAppend
    }

    package static func == (a: DeltaCommitInfo, b: DeltaCommitInfo) -> Bool { a.json == b.json }

    var json: DeltaJSON {
        .object([
            ("timestamp", .int(timestamp)),
            ("operation", .string(operation)),
            ("operationParameters", .object(operationParameters.map { ($0.0, .string($0.1)) })),
            ("operationMetrics", .object(operationMetrics.map { ($0.0, .string($0.1)) })),
            ("engineInfo", .string(engineInfo)),
            ("isBlindAppend", .bool(isBlindAppend)),
        ])
    }
}
