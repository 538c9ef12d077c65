/// A leaf column of a schema with everything a column writer needs: path, types and maximum levels.
public struct ColumnDescriptor: Sendable, Hashable {
    public var path: [String]
    public var physicalType: PhysicalType
    public var typeLength: Int32?
    public var logicalType: LogicalType?
    public var maxDefinitionLevel: Int
    public var maxRepetitionLevel: Int

    public init(path: [String], physicalType: PhysicalType, typeLength: Int32?, logicalType: LogicalType?,
                maxDefinitionLevel: Int, maxRepetitionLevel: Int) {
        self.path = path
        self.physicalType = physicalType
        self.typeLength = typeLength
        self.logicalType = logicalType
        self.maxDefinitionLevel = maxDefinitionLevel
        self.maxRepetitionLevel = maxRepetitionLevel
    }

    /// The dotted path, as pyarrow and parquet-tools print it.
    public var dottedPath: String { path.joined(separator: ".") }
}
