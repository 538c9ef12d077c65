import Foundation
import KsqlDBClient

extension LakeConfig.KsqlDB {
    /// The client configuration, with credentials read from the named environment variables.
    /// A variable that is named but unset is an error that names the variable, never a value.
    package func clientConfiguration(environment: [String: String] = ProcessInfo.processInfo.environment) throws(DataLakeError) -> KsqlDBClientConfiguration {
        guard let url = URL(string: url) else { throw DataLakeError("ksqldb.url is not a URL") }
        var credentials: (user: String, password: String)?
        if let userEnv, let passwordEnv {
            guard let user = environment[userEnv] else { throw DataLakeError("environment variable \(userEnv) (ksqldb.auth.user_env) is not set") }
            guard let password = environment[passwordEnv] else { throw DataLakeError("environment variable \(passwordEnv) (ksqldb.auth.password_env) is not set") }
            credentials = (user, password)
        }
        let proxyEndpoint = proxy.flatMap(URL.init(string:)).flatMap { u in u.host.flatMap { h in u.port.map { (host: h, port: $0) } } }
        var configuration = KsqlDBClientConfiguration(url: url, connectTimeout: .seconds(connectTimeoutSeconds), readTimeout: .seconds(timeoutSeconds),
                                                      credentials: credentials, caFile: caFile, insecureSkipVerify: insecureSkipVerify, proxy: proxyEndpoint)
        configuration.maxRowBytes = maxRowBytes
        configuration.queryTimeout = queryTimeoutSeconds.map { .seconds($0) }
        return configuration
    }
}
