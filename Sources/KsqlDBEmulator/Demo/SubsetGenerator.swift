/// The rows of another generator at the given offsets (a filtered stream).
final class SubsetGenerator: EmulatorRowGenerator {
    let base: any EmulatorRowGenerator
    let indexes: [Int32]
    var count: Int { indexes.count }

    init(base: any EmulatorRowGenerator, indexes: [Int32]) {
        self.base = base
        self.indexes = indexes
    }

    func row(at offset: Int) -> EmulatorRow {
        base.row(at: Int(indexes[offset]))
    }
}

extension SubsetGenerator {
    func rowtime(at offset: Int) -> Int64 { base.rowtime(at: Int(indexes[offset])) }

    func renderRow(at offset: Int, withRowtime: Bool, into out: inout [UInt8]) -> Bool {
        base.renderRow(at: Int(indexes[offset]), withRowtime: withRowtime, into: &out)
    }
}
