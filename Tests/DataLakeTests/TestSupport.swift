import Foundation
@testable import DataLake
import DataLakeTestSupport
@testable import KsqlDBClient
@testable import KsqlParquet
@testable import LakeStorage

/// A temporary directory removed when the value goes away; fixtures are written into it.
final class TempDirectory {
    let path: String

    init() {
        var template = Array((NSTemporaryDirectory() + "datalake-test-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        path = String(cString: made!)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func url(_ relative: String) -> String { (path as NSString).appendingPathComponent(relative) }

    @discardableResult
    func write(_ relative: String, _ text: String) -> String {
        let full = url(relative)
        try? FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: full, contents: Data(text.utf8))
        return full
    }

    func read(_ relative: String) -> String? {
        FileManager.default.contents(atPath: url(relative)).map { String(decoding: $0, as: UTF8.self) }
    }

    func exists(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: url(relative)) }

    /// A lake.yaml with relative paths plus the given feed files.
    func makeProject(lake: String = "root: data_lake\nfeeds_dir: feeds.d\n", feeds: [String: String]) -> String {
        let config = write("lake.yaml", lake)
        try? FileManager.default.createDirectory(atPath: url("feeds.d"), withIntermediateDirectories: true)
        for (name, text) in feeds { write("feeds.d/\(name)", text) }
        return config
    }

    /// Every file under the directory with its size and modification time in nanoseconds.
    /// `exceptTimesOf`: directories listed by their mode alone, without times: where an entry may be
    /// made and removed again (an unchanged table's staged version directory), leaving no byte changed.
    func snapshot(exceptTimesOf directories: Set<String> = []) -> [String: String] {
        var out: [String: String] = [:]
        let enumerator = FileManager.default.enumerator(atPath: path)
        while let rel = enumerator?.nextObject() as? String {
            var st = stat()
            guard stat(url(rel), &st) == 0 else { continue }
            if directories.contains(rel), (st.st_mode & S_IFMT) == S_IFDIR {
                out[rel] = "\(st.st_mode) directory"
                continue
            }
            let bytes = FileManager.default.contents(atPath: url(rel)).map { $0.count } ?? -1
            #if canImport(Darwin)
            let (m, c) = (st.st_mtimespec, st.st_ctimespec)
            #else
            let (m, c) = (st.st_mtim, st.st_ctim)
            #endif
            out[rel] = "\(st.st_mode) \(bytes) \(m.tv_sec).\(m.tv_nsec) \(c.tv_sec).\(c.tv_nsec)"
        }
        return out
    }
}

/// Feed YAML for tests.
func streamFeed(_ name: String, extra: String = "") -> String {
    "feed_name: \(name)\nfeed_type: stream\nksqldb_source: \(name.uppercased())\ndescription: test stream\n" + extra
}

func tableFeed(_ name: String, extra: String = "") -> String {
    "feed_name: \(name)\nfeed_type: table\nksqldb_source: \(name.uppercased())\ndescription: test table\n" + extra
}

/// Loads the desired state and the registry, plans, and returns the plan.
func makePlan(_ config: String, targets: Set<String>? = nil) throws -> (Plan, DesiredState) {
    let desired = try DesiredStateLoader.load(configPath: config)
    let registry = try Registry.load(LocalLakeStorage(root: desired.config.root), defaults: desired.config.defaults)
    return (try Planner(desired: desired, registry: registry, targets: targets).plan(now: "2026-01-01T00:00:00Z"), desired)
}

/// Plans and applies against the project at `config`.
@discardableResult
func planAndApply(_ config: String, clock: Clock = .system) async throws -> Plan {
    let (plan, desired) = try makePlan(config)
    let (results, _) = try await Applier(storage: LocalLakeStorage(root: desired.config.root), clock: clock).apply(plan) { _ in }
    if let failed = results.first(where: { $0.error != nil }) { throw DiagnosticsError([Diagnostic(failed.error!)]) }
    return plan
}

/// Diagnostics of loading `config`, as rendered lines with the temp dir prefix removed.
func loadErrors(_ config: String, base: String) -> [String] {
    do {
        _ = try DesiredStateLoader.load(configPath: config)
        return []
    } catch {
        return error.diagnostics.map { $0.description.replacingOccurrences(of: base + "/", with: "") }
    }
}

/// Runs blocking work (a child process and its pipes) on a thread of its own, so that it never holds
/// one of the few threads Swift Testing runs every test on (as many as cores, 2 here): a test that
/// measures a timeout would otherwise wait for a thread.
func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}
