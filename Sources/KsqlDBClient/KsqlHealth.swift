/// What `GET /healthcheck` says: overall health and each subsystem's (`metastore`, `kafka`, …).
package struct KsqlHealth: Equatable, Sendable {
    package var isHealthy: Bool
    /// Subsystem name → healthy.
    package var details: [String: Bool]
    /// `READY`, `INITIALIZING`, … (ksqlDB ≥ 0.29), nil on older servers.
    package var serverState: String?

    package init(isHealthy: Bool, details: [String: Bool] = [:], serverState: String? = nil) {
        self.isHealthy = isHealthy
        self.details = details
        self.serverState = serverState
    }
}
