/// A whole file schema: the root's fields, their leaf columns in file order, and the flattened
/// `SchemaElement` list written to the footer.
public struct ParquetSchema: Sendable, Hashable {
    public let fields: [SchemaNode]
    public let columns: [ColumnDescriptor]
    public let elements: [SchemaElement]

    public init(fields: [SchemaNode], rootName: String = "schema") {
        self.fields = fields
        var columns: [ColumnDescriptor] = []
        var elements = [SchemaElement(name: rootName, numChildren: Int32(fields.count))]
        for f in fields { Self.flatten(f, path: [], def: 0, rep: 0, columns: &columns, elements: &elements) }
        self.columns = columns
        self.elements = elements
    }

    private static func flatten(_ node: SchemaNode, path: [String], def: Int, rep: Int,
                                columns: inout [ColumnDescriptor], elements: inout [SchemaElement]) {
        let path = path + [node.name]
        let def = def + (node.repetition == .required ? 0 : 1)
        let rep = rep + (node.repetition == .repeated ? 1 : 0)
        var e = SchemaElement(name: node.name, repetition: node.repetition,
                              convertedType: node.logicalType?.convertedType, logicalType: node.logicalType)
        if case let .decimal(p, s) = node.logicalType {
            e.precision = Int32(p)
            e.scale = Int32(s)
        }
        switch node.kind {
        case let .primitive(type, typeLength):
            e.type = type
            e.typeLength = typeLength
            elements.append(e)
            columns.append(ColumnDescriptor(path: path, physicalType: type, typeLength: typeLength,
                                            logicalType: node.logicalType, maxDefinitionLevel: def, maxRepetitionLevel: rep))
        case let .group(children):
            e.numChildren = Int32(children.count)
            elements.append(e)
            for c in children { flatten(c, path: path, def: def, rep: rep, columns: &columns, elements: &elements) }
        }
    }
}
