/// The wire-format features a claimed server version has (notes §0 timeline), for ksqlDB standalone
/// versions (0.x) and Confluent Platform versions (5.x and up).
struct EmulatorServerVersion: Sendable {
    /// `/query-stream` accepts HTTP/1.1 (≥ 0.24, CP 7.1).
    let queryStreamOverHTTP1: Bool
    /// `/query` runs through the `/query-stream` writers (≥ 0.24, CP 7.2).
    let migratedQuery: Bool
    /// Stream pull queries end with a finalMessage on `/query` (≥ 0.25.1, CP 7.2).
    let streamPullFinalMessage: Bool
    /// `/healthcheck` has serverState and commandRunner (≥ 0.29, CP 7.4).
    let richHealthcheck: Bool

    init(_ text: String) {
        let parts = text.split(separator: ".").map { Int($0.prefix { $0.isNumber }) ?? 0 }
        let major = parts.first ?? 0
        let minor = parts.count > 1 ? parts[1] : 0
        let patch = parts.count > 2 ? parts[2] : 0
        if major == 0 {
            queryStreamOverHTTP1 = minor >= 24
            migratedQuery = minor >= 24
            streamPullFinalMessage = minor > 25 || (minor == 25 && patch >= 1)
            richHealthcheck = minor >= 29
        } else {
            let cp = major * 100 + minor
            queryStreamOverHTTP1 = cp >= 701
            migratedQuery = cp >= 702
            streamPullFinalMessage = cp >= 702
            richHealthcheck = cp >= 704
        }
    }
}
