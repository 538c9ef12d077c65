/// Where `RowScanner` puts the leaf values of nested rows, in row order: straight into the column
/// writers, or onto a tape for the encoder thread. `leaf` is the leaf column's index.
protocol RowOutput: AnyObject {
    func appendNull(leaf: Int, definitionLevel: Int, repetitionLevel: Int)
    func append(leaf: Int, _ v: Bool, repetitionLevel: Int)
    func append(leaf: Int, _ v: Int32, repetitionLevel: Int)
    func append(leaf: Int, _ v: Int64, repetitionLevel: Int)
    func append(leaf: Int, _ v: Double, repetitionLevel: Int)
    func append(leaf: Int, bytes: UnsafeRawBufferPointer, repetitionLevel: Int)
    func endRow() throws
}
