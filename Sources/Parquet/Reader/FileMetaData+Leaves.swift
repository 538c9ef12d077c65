/// Leaf columns of a footer's schema, in column-chunk order, with their dotted paths.
extension FileMetaData {
    /// The leaf schema elements with their paths, in the order of every row group's column chunks.
    public var leafColumns: [(path: [String], element: SchemaElement)] {
        var out: [(path: [String], element: SchemaElement)] = []
        var index = 1
        func walk(_ prefix: [String]) {
            guard index < schema.count else { return }
            let e = schema[index]
            index += 1
            let path = prefix + [e.name]
            if let n = e.numChildren, e.type == nil {
                for _ in 0..<n { walk(path) }
            } else {
                out.append((path, e))
            }
        }
        let rootChildren = schema.first?.numChildren ?? 0
        for _ in 0..<rootChildren { walk([]) }
        return out
    }
}
