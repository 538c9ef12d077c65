import ArgumentParser
import DataLake

/// `datalake doctor`: the seed's test_setup.py, one line per check.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "doctor", abstract: "Check libraries, config, lake, registry and ksqlDB; one line per check.")

    @OptionGroup var config: ConfigOptions
    @Flag(help: "Skip the ksqlDB reachability check.") var offline = false

    func run() async throws {
        var checks = Doctor(configPath: config.configPath).run()
        if !offline, let lake = try? DesiredStateLoader.loadConfigOnly(configPath: config.configPath) {
            checks.append(await Self.ksqldbCheck(lake.ksqldb))
        }
        for c in checks { print("\(c.ok ? "✓" : "✗") \(c.name): \(c.detail)") }
        let failed = checks.count { !$0.ok }
        print("\(checks.count - failed)/\(checks.count) checks passed")
        if failed > 0 { throw ExitCode.failure }
    }

    static func ksqldbCheck(_ settings: LakeConfig.KsqlDB) async -> Doctor.Check {
        do {
            let client = KsqlDBClient(configuration: try settings.clientConfiguration())
            defer { Task { try? await client.shutdown() } }
            let info = try await client.info()
            try? await client.shutdown()
            return Doctor.Check(name: "ksqldb", ok: true, detail: "\(client.configuration.endpoint) answers: version \(info.version), \(info.status ?? "status unknown")")
        } catch {
            return Doctor.Check(name: "ksqldb", ok: false, detail: "\(error)")
        }
    }
}
