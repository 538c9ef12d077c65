import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Catches SIGTERM and SIGINT from the moment it is installed, so the emulator can stop cleanly
/// even when a signal arrives before anyone waits for it.
final class SignalWaiter: @unchecked Sendable {
    private var continuation: CheckedContinuation<Void, Never>?
    private var fired = false
    private let lock = NSLockLite()

    private init() {}

    static func install() -> SignalWaiter {
        let waiter = SignalWaiter()
        let queue = DispatchQueue(label: "ksqldb-emulator.signals")
        for number in [SIGTERM, SIGINT] {
            // The default action would end the process; the dispatch source still sees the signal.
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { waiter.fire() }
            source.resume()
            SignalSources.keep(source)
        }
        return waiter
    }

    /// Returns once a signal has arrived (at once if one already has).
    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = lock.withLock { () -> Bool in
                if fired { return true }
                self.continuation = continuation
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    private func fire() {
        let pending = lock.withLock { () -> CheckedContinuation<Void, Never>? in
            fired = true
            defer { continuation = nil }
            return continuation
        }
        pending?.resume()
    }
}

/// Keeps the dispatch signal sources alive for the life of the process.
private enum SignalSources {
    nonisolated(unsafe) static var sources: [any DispatchSourceSignal] = []
    static func keep(_ source: any DispatchSourceSignal) { sources.append(source) }
}

/// A pthread mutex, to avoid pulling Foundation into the executable.
private final class NSLockLite: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    init() { pthread_mutex_init(&mutex, nil) }
    deinit { pthread_mutex_destroy(&mutex) }
    func withLock<T>(_ body: () -> T) -> T {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return body()
    }
}
