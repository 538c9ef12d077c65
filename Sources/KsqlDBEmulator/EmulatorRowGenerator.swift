/// Rows computed on demand from their offset, so a demo stream of millions of rows costs no memory.
/// Class-bound: queries call a generator for every row, and an existential of a struct is copied at
/// each call where a reference is only retained.
package protocol EmulatorRowGenerator: AnyObject, Sendable {
    var count: Int { get }
    func row(at offset: Int) -> EmulatorRow
    /// The row's ROWTIME alone (filters on ROWTIME need nothing else).
    func rowtime(at offset: Int) -> Int64
    /// Writes the row's `SELECT *` rendering (`SELECT ROWTIME, *` when `withRowtime`), byte-identical
    /// to rendering `row(at:)`, and returns true; false when the generator has no such fast path.
    func renderRow(at offset: Int, withRowtime: Bool, into bytes: inout [UInt8]) -> Bool
}

extension EmulatorRowGenerator {
    package func rowtime(at offset: Int) -> Int64 { row(at: offset).rowtime }
    package func renderRow(at offset: Int, withRowtime: Bool, into bytes: inout [UInt8]) -> Bool { false }
}
