import DataLake
import Dispatch
import Foundation
import Synchronization

/// The progress of a running apply, on stderr (stdout keeps the plan and one line per action). On a
/// terminal: one line redrawn in place, rows, rows/s and `N/M actions` done. Off a terminal (cron, CI,
/// a pipe), where a redrawn line would pile up: one line every `interval` seconds for each export or
/// snapshot that runs that long, so a log shows a long export moving (or stalled), and nothing for
/// one that ends sooner.
/// (Unchecked: the mutable state is in `state`, and `timer` is set once, in init.)
final class ProgressMeter: @unchecked Sendable {
    enum Mode: Sendable, Equatable {
        case inline
        case lines(interval: Double)
    }

    private struct Running {
        var label: String
        var start: DispatchTime
        var read = ReadProgress()
        /// When the last line was printed (off a terminal), or the start.
        var lastLine: DispatchTime
    }

    private struct State {
        /// By label: with `max_parallel_feeds`, several exports run at once.
        var running: [String: Running] = [:]
        var done = 0
        var lastDraw = DispatchTime(uptimeNanoseconds: 0)
    }

    let mode: Mode
    private let total: Int
    private let state = Mutex(State())
    /// Off a terminal: ticks ten times an interval, and prints for an action that has gone an interval without a line.
    private var timer: (any DispatchSourceTimer)?

    init(mode: Mode, total: Int) {
        self.mode = mode
        self.total = total
        if case let .lines(interval) = mode {
            let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "datalake.progress"))
            timer.schedule(deadline: .now() + interval / 10, repeating: interval / 10)
            timer.setEventHandler { [weak self] in self?.tick(interval) }
            timer.resume()
            self.timer = timer
        }
    }

    deinit { timer?.cancel() }

    /// Inline on a terminal; otherwise lines every 10 s, or every `DATALAKE_PROGRESS_INTERVAL`
    /// seconds (for tests, which cannot wait that long).
    static func forStandardError(total: Int) -> ProgressMeter {
        if Terminal.progressOnStderr { return ProgressMeter(mode: .inline, total: total) }
        let interval = ProcessInfo.processInfo.environment["DATALAKE_PROGRESS_INTERVAL"].flatMap(Double.init) ?? 10
        return ProgressMeter(mode: .lines(interval: interval > 0 ? interval : 10), total: total)
    }

    func handle(_ event: ApplyProgress) {
        switch event {
        case let .started(action):
            guard action.kind == .export || action.kind == .snapshot else { return }
            let now = DispatchTime.now()
            let running = Running(label: Self.label(action), start: now, lastLine: now)
            state.withLock { $0.running[running.label] = running }
        case let .rows(action, read):
            let line: String? = state.withLock { s in
                let label = Self.label(action)
                s.running[label]?.read = read
                guard mode == .inline, let running = s.running[label] else { return nil }
                let now = DispatchTime.now()
                guard now.uptimeNanoseconds - s.lastDraw.uptimeNanoseconds > 200_000_000 else { return nil }
                s.lastDraw = now
                return "\r\u{1B}[K  \(running.label): \(Self.grouped(read.rows)) rows (\(Self.grouped(Self.rate(running, at: now))) rows/s) "
                    + "\(s.done)/\(total) actions" + (s.running.count > 1 ? ", \(s.running.count) running" : "")
            }
            if let line { Terminal.printErrorInline(line) }
        case let .finished(result, _):
            state.withLock { s in
                s.running[Self.label(result.action)] = nil
                s.done += 1
            }
            if mode == .inline { Terminal.printErrorInline("\r\u{1B}[K") }
        }
    }

    /// A line for each running action that went `interval` seconds without one.
    private func tick(_ interval: Double) {
        let lines: [String] = state.withLock { s in
            let now = DispatchTime.now()
            var lines: [String] = []
            for (label, running) in s.running.sorted(by: { $0.key < $1.key })
            where now.uptimeNanoseconds - running.lastLine.uptimeNanoseconds >= UInt64(interval * 1e9) {
                s.running[label]?.lastLine = now
                lines.append("  \(running.label): \(Self.grouped(running.read.rows)) rows, "
                             + "\(Self.grouped(Self.rate(running, at: now))) rows/s, \(Self.megabytes(running.read.bytes)) MB")
            }
            return lines
        }
        for line in lines { Terminal.printError(line) }
    }

    private static func label(_ action: PlanAction) -> String { "\(action.kind.rawValue) \(action.feed)" }

    /// Rows a second since the action started.
    private static func rate(_ running: Running, at now: DispatchTime) -> Int {
        let seconds = Double(now.uptimeNanoseconds - running.start.uptimeNanoseconds) / 1e9
        return Int(Double(running.read.rows) / max(seconds, 0.001))
    }

    /// `1200000` → `1,200,000`, whatever the locale (logs are read by scripts too).
    static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// Bytes as decimal megabytes with one decimal: `38.2`.
    static func megabytes(_ bytes: Int) -> String {
        let tenths = (bytes + 50_000) / 100_000
        return "\(tenths / 10).\(tenths % 10)"
    }
}
