/// How an emulator instance behaves: data, optional Basic auth, the version it claims, faults.
package struct EmulatorConfiguration: Sendable {
    package var dataset: EmulatorDataset
    package var basicAuth: (user: String, password: String)?
    /// `0.29.0` by default. Below 0.24 (or CP below 7.1), `/query-stream` over HTTP/1.1 answers 400 40004
    /// and `/query` uses the legacy framing.
    package var serverVersion: String
    package var faults: EmulatorFaults
    /// With `basicAuth`: accounts whose credentials are valid but that hold no ksqlDB role (answered 403).
    package var forbiddenUsers: [(user: String, password: String)]
    /// Send a `date` header this far off this machine's clock (nil: no `date` header).
    package var dateHeaderOffsetMillis: Int64?

    package init(dataset: EmulatorDataset = .empty, basicAuth: (user: String, password: String)? = nil,
                 serverVersion: String = "0.29.0", faults: EmulatorFaults = EmulatorFaults(),
                 forbiddenUsers: [(user: String, password: String)] = []) {
        self.dataset = dataset
        self.basicAuth = basicAuth
        self.serverVersion = serverVersion
        self.faults = faults
        self.forbiddenUsers = forbiddenUsers
    }
}
