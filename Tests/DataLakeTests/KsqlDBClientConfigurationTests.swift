import Foundation
import Testing
@testable import DataLake
import DataLakeTestSupport
@testable import KsqlDBClient
@testable import KsqlParquet
@testable import LakeStorage

/// The configuration never shows the password, however it is printed.
@Suite struct KsqlDBClientConfigurationTests {
    @Test func printingRedactsThePassword() {
        let configuration = KsqlDBClientConfiguration(
            url: URL(string: "https://ksql.example.com:8443/base")!, connectTimeout: .seconds(3), readTimeout: .seconds(20),
            credentials: ("svc-datalake", "hunter2-very-secret"), caFile: "/etc/ca.pem")
        #expect(configuration.endpoint == "ksql.example.com:8443")
        #expect(String(describing: configuration) == "KsqlDBClientConfiguration(ksql.example.com:8443 connectTimeout=3.0 seconds "
            + "readTimeout=20.0 seconds user=svc-datalake password=<redacted> caFile=/etc/ca.pem)")
        var dumped = ""
        dump(configuration, to: &dumped)
        #expect(!dumped.contains("hunter2"))
        #expect(!String(reflecting: configuration).contains("hunter2"))
        #expect(!"\(configuration)".contains("hunter2"))
    }

    @Test func endpointDefaultsThePort() {
        #expect(KsqlDBClientConfiguration(url: URL(string: "http://db")!).endpoint == "db:80")
        #expect(KsqlDBClientConfiguration(url: URL(string: "https://db")!).endpoint == "db:443")
        #expect(KsqlDBClientConfiguration(url: URL(string: "http://[::1]:8088")!).endpoint == "[::1]:8088")
    }
}
