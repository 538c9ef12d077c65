/// Rows computed on demand from their offset, so a demo stream of millions of rows costs no memory.
package protocol EmulatorRowGenerator: Sendable {
    var count: Int { get }
    func row(at offset: Int) -> EmulatorRow
}

/// An immutable view of a stream's log at one instant: generated rows, then inserted rows.
package struct EmulatorStreamSnapshot: Sendable {
    let generator: (any EmulatorRowGenerator)?
    let appended: [EmulatorRow]
    private let generatedCount: Int

    init(generator: (any EmulatorRowGenerator)?, appended: [EmulatorRow]) {
        self.generator = generator
        self.appended = appended
        self.generatedCount = generator?.count ?? 0
    }

    package var count: Int { generatedCount + appended.count }

    package subscript(offset: Int) -> EmulatorRow {
        offset < generatedCount ? generator!.row(at: offset) : appended[offset - generatedCount]
    }
}
