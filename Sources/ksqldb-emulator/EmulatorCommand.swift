import ArgumentParser
import KsqlDBEmulator
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `ksqldb-emulator`: parses flags, starts the in-process emulator, waits for SIGTERM/SIGINT.
@main
struct EmulatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ksqldb-emulator",
        abstract: "A ksqlDB REST server emulator with in-memory streams and tables, for tests and the demo.",
        discussion: """
            Prints `ksqldb-emulator listening on http://HOST:PORT` once it accepts connections, and exits on \
            SIGTERM or SIGINT. Faults can also be changed at runtime with the emulator-only endpoint \
            `POST /emulator/faults` (a JSON object of the fault fields in camelCase, rowDelay in ms; `{}` clears them).
            """)

    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on (0 picks a free port).") var port = 8088
    @Flag(help: "Serve the seed's demo: 4 streams and 4 tables of card transactions.") var demo = false
    @Option(help: "Load sources from a JSON dataset file instead.") var data: String?
    @Option(help: "Demo rows per stream (the blacklisted stream holds the ~10% in blacklisted cities).") var rows = 2000
    @Option(help: "Demo generator seed.") var seed: UInt64 = 42
    @Option(help: "First demo day, yyyy-MM-dd UTC (default: 3 days before today).") var startDate: String?
    @Option(help: "Days the demo's ROWTIMEs spread over.") var days = 3
    @Option(help: "Require HTTP Basic auth with this user.") var user: String?
    @Option(help: "Environment variable holding the Basic auth password.") var passwordEnv: String?
    @Option(help: "An account with the same password that authenticates but holds no role (answered 403).")
    var forbiddenUser: String?
    @Option(help: "Version reported by /info; below 0.24 the legacy /query framing is used and HTTP/1.1 /query-stream is refused.")
    var serverVersion = "0.29.0"
    @Option(help: "Fault: close the connection after N rows.") var dropConnectionAfterRows: Int?
    @Option(help: "Fault: answer queries with this status (500 or 429).") var failStatus: Int?
    @Option(help: "Fault: wait this many milliseconds before each row.") var rowDelayMs: Int?
    @Option(help: "Fault: send a malformed JSON row at this 0-based index.") var malformedRowAt: Int?
    @Option(help: "Fault: send an in-band error after N rows and end the response.") var midStreamErrorAfterRows: Int?

    func validate() throws {
        if demo && data != nil { throw ValidationError("--demo and --data are exclusive") }
        if (user == nil) != (passwordEnv == nil) { throw ValidationError("--user and --password-env go together") }
        if forbiddenUser != nil && user == nil { throw ValidationError("--forbidden-user needs --user and --password-env") }
        if let failStatus, failStatus != 500 && failStatus != 429 { throw ValidationError("--fail-status must be 500 or 429") }
        if rows < 0 || days < 1 { throw ValidationError("--rows must be ≥ 0 and --days ≥ 1") }
    }

    func run() async throws {
        var basicAuth: (user: String, password: String)?
        if let user, let passwordEnv {
            guard let password = getenv(passwordEnv).map({ String(cString: $0) }) else {
                FileHandleOutput.error("ksqldb-emulator: environment variable \(passwordEnv) (--password-env) is not set")
                throw ExitCode.failure
            }
            basicAuth = (user, password)
        }
        let dataset: EmulatorDataset
        if demo {
            dataset = .demo(seed: seed, startDate: startDate, days: days, rowsPerStream: rows)
        } else if let data {
            dataset = .file(data)
        } else {
            dataset = .empty
        }
        let faults = EmulatorFaults(dropConnectionAfterRows: dropConnectionAfterRows, failStatus: failStatus,
                                    rowDelay: rowDelayMs.map { .milliseconds($0) }, malformedRowAt: malformedRowAt,
                                    midStreamErrorAfterRows: midStreamErrorAfterRows)
        let emulator = KsqlDBEmulator(configuration: EmulatorConfiguration(
            dataset: dataset, basicAuth: basicAuth, serverVersion: serverVersion, faults: faults,
            forbiddenUsers: forbiddenUser.map { name in basicAuth.map { [(name, $0.password)] } ?? [] } ?? []))
        // Before the ready line: a script may send SIGTERM as soon as it has read it.
        let termination = SignalWaiter.install()
        let boundPort: Int
        do {
            boundPort = try await emulator.start(host: host, port: port)
        } catch {
            FileHandleOutput.error("ksqldb-emulator: \(error)")
            throw ExitCode.failure
        }
        FileHandleOutput.line("ksqldb-emulator listening on http://\(host):\(boundPort)")
        await termination.wait()
        try await emulator.stop()
    }
}
