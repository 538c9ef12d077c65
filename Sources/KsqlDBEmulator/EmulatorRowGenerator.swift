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
