import DataLake
import Dispatch
import LakeStorage
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SIGINT and SIGTERM during `apply` and `export`: the first one asks the apply to stop at its next
/// safe point (`request`), so that it reports what it did, logs it and releases its locks; a second
/// one exits at once, as a kill would (the next apply finishes or rolls back what this one left).
/// The one place the CLI makes signal calls.
final class SignalStop: Sendable {
    /// What the applier checks.
    let request = StopRequest()
    /// While true (the confirmation prompt, which blocks on stdin), the first signal exits at once:
    /// nothing was done yet.
    private let immediate = Mutex(false)

    private init() {}

    /// Catches SIGINT and SIGTERM from now to the end of the process.
    static func install() -> SignalStop {
        let stop = SignalStop()
        let queue = DispatchQueue(label: "datalake.signals")
        for (number, name) in [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")] {
            // Ignored, so the default action does not end the process; the dispatch source still sees it.
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { stop.received(name) }
            source.resume()
            Sources.keep(source)
        }
        return stop
    }

    /// 128 + the signal's number: 130 for SIGINT, 143 for SIGTERM.
    static func exitCode(_ reason: String) -> Int32 { reason == "SIGINT" ? 128 + SIGINT : 128 + SIGTERM }

    /// Runs `body` with the first signal exiting at once.
    func exitingAtOnce<T>(_ body: () throws -> T) rethrows -> T {
        immediate.withLock { $0 = true }
        defer { immediate.withLock { $0 = false } }
        return try body()
    }

    private func received(_ name: String) {
        if immediate.withLock({ $0 }) {
            LocalFiles.writeStandardError("\n")
            _exit(Self.exitCode(name))
        }
        if request.request(name) {
            LocalFiles.writeStandardError("\n\(name): stopping at the next safe point (send it again to exit at once)\n")
        } else {
            let first = request.reason ?? name
            LocalFiles.writeStandardError("\(name) again: exiting at once; the next apply finishes or rolls back what this one left\n")
            _exit(Self.exitCode(first))
        }
    }

    /// Keeps the dispatch signal sources alive for the life of the process.
    private enum Sources {
        nonisolated(unsafe) static var sources: [any DispatchSourceSignal] = []
        static func keep(_ source: any DispatchSourceSignal) { sources.append(source) }
    }
}
