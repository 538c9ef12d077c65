/// What a `{…}` line of a `/query-stream` delimited response is: the header, ksqlDB's in-band error,
/// or a token to skip. Classified here once, for the client's framer and for `convert`'s reader of
/// saved responses alike.
package enum KsqlInBandObject: Equatable, Sendable {
    /// `{"queryId":…,"columnNames":[…],"columnTypes":[…]}`, with its types parsed.
    case header(KsqlQueryHeader)
    /// `{"@type":"…","error_code":N,"message":"…"}`.
    case error(code: Int?, message: String?)
    /// A continuation or consistency token (push queries, ksqlDB ≥ 0.22).
    case token
    /// A JSON object that is none of these.
    case unknown

    /// Classifies the object `bytes` (one line, `{` to `}`); nil when it is not JSON. A header whose
    /// types do not parse is an error.
    package static func classify(_ bytes: some Collection<UInt8>) throws(KsqlDBError) -> KsqlInBandObject? {
        guard let object = KsqlWire.decode(KsqlWire.InBandObject.self, from: bytes) else { return nil }
        if let names = object.columnNames, let types = object.columnTypes {
            return .header(try KsqlQueryHeader(queryId: object.queryId, columnNames: names, columnTypes: types))
        }
        if object.errorCode != nil || object.type != nil { return .error(code: object.errorCode, message: object.message) }
        if object.isToken { return .token }
        return .unknown
    }
}
