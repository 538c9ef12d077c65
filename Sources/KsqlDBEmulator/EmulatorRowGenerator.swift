/// Rows computed on demand from their offset, so a demo stream of millions of rows costs no memory.
package protocol EmulatorRowGenerator: Sendable {
    var count: Int { get }
    func row(at offset: Int) -> EmulatorRow
    /// The row's ROWTIME alone (filters on ROWTIME need nothing else).
    func rowtime(at offset: Int) -> Int64
    /// Writes the row's `SELECT *` rendering, byte-identical to rendering `row(at:)`, and returns true;
    /// false when the generator has no such fast path.
    func renderRow(at offset: Int, into bytes: inout [UInt8]) -> Bool
}

extension EmulatorRowGenerator {
    package func rowtime(at offset: Int) -> Int64 { row(at: offset).rowtime }
    package func renderRow(at offset: Int, into bytes: inout [UInt8]) -> Bool { false }
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

    func rowtime(at offset: Int) -> Int64 {
        offset < generatedCount ? generator!.rowtime(at: offset) : appended[offset - generatedCount].rowtime
    }

    /// The generator's fast `SELECT *` rendering, for generated rows only.
    func renderGenerated(at offset: Int, into bytes: inout [UInt8]) -> Bool {
        offset < generatedCount && generator!.renderRow(at: offset, into: &bytes)
    }
}
