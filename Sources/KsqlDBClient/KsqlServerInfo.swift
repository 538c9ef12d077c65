/// What `GET /info` says about a ksqlDB server.
package struct KsqlServerInfo: Equatable, Sendable {
    /// ksqlDB or Confluent Platform build version, e.g. `0.29.0` or `7.4.0`.
    package var version: String
    package var kafkaClusterId: String?
    package var serviceId: String?
    /// `RUNNING`, `ERROR` or `DEGRADED` (ksqlDB ≥ 0.15), nil on older servers.
    package var status: String?

    package init(version: String, kafkaClusterId: String? = nil, serviceId: String? = nil, status: String? = nil) {
        self.version = version
        self.kafkaClusterId = kafkaClusterId
        self.serviceId = serviceId
        self.status = status
    }
}
