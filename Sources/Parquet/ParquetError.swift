/// An error of the Parquet writer or footer reader, as one line of text.
public struct ParquetError: Error, CustomStringConvertible, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
