import ArgumentParser
import DataLake

/// `datalake doctor`: the seed's test_setup.py, one line per check.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "doctor", abstract: "Check libraries, config, lake, registry and ksqlDB; one line per check.")

    @OptionGroup var config: ConfigOptions
    @Flag(help: "Skip the ksqlDB reachability check.") var offline = false

    func run() async throws {
        let checks = await Doctor(configPath: config.configPath).run(offline: offline)
        for c in checks { print("\(c.ok ? "✓" : "✗") \(c.name): \(c.detail)") }
        let failed = checks.count { !$0.ok }
        print("\(checks.count - failed)/\(Plural.count(checks.count, "check")) passed")
        if failed > 0 { throw ExitCode.failure }
    }
}
