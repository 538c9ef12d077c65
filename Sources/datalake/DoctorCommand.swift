import ArgumentParser
import DataLake

/// `datalake doctor`: the seed's test_setup.py, one line per check.
struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "doctor", abstract: "Check libraries, config, lake and registry; one line per check.")

    @OptionGroup var config: ConfigOptions

    func run() throws {
        let checks = Doctor(configPath: config.configPath).run()
        for c in checks { print("\(c.ok ? "✓" : "✗") \(c.name): \(c.detail)") }
        let failed = checks.count { !$0.ok }
        print("\(checks.count - failed)/\(checks.count) checks passed")
        if failed > 0 { throw ExitCode.failure }
    }
}
