/// A lexical token of the emulator's SQL subset, with its byte range in the statement text.
struct SQLToken: Equatable {
    enum Kind: Equatable {
        /// An identifier; unquoted ones are upper-cased as ksqlDB does.
        case identifier(String, quoted: Bool)
        case string(String)
        case number(String)
        case symbol(String)
        case end
    }

    var kind: Kind
    var start: Int
    var end: Int

    /// The keyword or unquoted identifier text, for keyword matching.
    var word: String? {
        if case .identifier(let name, false) = kind { return name }
        return nil
    }
}
