/// An immutable view of a stream's log at one instant: generated rows, then inserted rows. A class:
/// a query goes through it for every row, and a struct's fields were copied (and retained) each time.
package final class EmulatorStreamSnapshot: Sendable {
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

    /// The generator's fast `SELECT *` (or `SELECT ROWTIME, *`) rendering, for generated rows only.
    func renderGenerated(at offset: Int, withRowtime: Bool, into bytes: inout [UInt8]) -> Bool {
        offset < generatedCount && generator!.renderRow(at: offset, withRowtime: withRowtime, into: &bytes)
    }
}
