/// Content negotiation as ksqlDB's Vert.x routes do it: the first `Accept` range that a route
/// produces wins; none absent or `*/*` picks the route's default; unparsable values fall to 404.
enum MediaTypes {
    static let delimited = "application/vnd.ksqlapi.delimited.v1"
    static let json = "application/json"
    static let ksqlV1 = "application/vnd.ksql.v1+json"

    enum Outcome: Equatable {
        case chosen(String)
        case notAcceptable
        case notFound
    }

    static func negotiate(_ accept: String?, produces: [String]) -> Outcome {
        guard let accept, !accept.trimmingSpaces.isEmpty else { return .chosen(produces[0]) }
        var parsable = false
        for range in accept.split(separator: ",") {
            let type = range.split(separator: ";").first.map { String($0).trimmingSpaces.lowercased() } ?? ""
            let parts = type.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { continue }
            parsable = true
            if type == "*/*" { return .chosen(produces[0]) }
            if parts[1] == "*", let match = produces.first(where: { $0.hasPrefix(parts[0] + "/") }) { return .chosen(match) }
            if let match = produces.first(where: { $0 == type }) { return .chosen(match) }
        }
        return parsable ? .notAcceptable : .notFound
    }
}

extension String {
    var trimmingSpaces: String {
        var scalars = Substring(self)
        while scalars.first == " " || scalars.first == "\t" { scalars.removeFirst() }
        while scalars.last == " " || scalars.last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}
