internal import CSnappy
internal import CYAML
internal import CZstd
import Foundation
import KsqlDBClient
import LakeStorage

/// `datalake doctor` (the seed's test_setup.py): each check is one line, pass or fail.
package struct Doctor {
    /// The outcome of one check.
    package struct Check: Sendable {
        package var name: String
        package var ok: Bool
        package var detail: String

        package init(name: String, ok: Bool, detail: String) {
            self.name = name
            self.ok = ok
            self.detail = detail
        }
    }

    package var configPath: String

    package init(configPath: String) { self.configPath = configPath }

    /// Every check; ksqlDB's reachability and health too unless `offline`.
    package func run(offline: Bool) async -> [Check] {
        var checks = localChecks()
        if !offline, let config = try? DesiredStateLoader.loadConfigOnly(configPath: configPath) {
            checks.append(await Self.ksqldbCheck(config.ksqldb))
        }
        return checks
    }

    /// `/info` answers, and `/healthcheck` says healthy.
    static func ksqldbCheck(_ settings: LakeConfig.KsqlDB) async -> Check {
        let client: KsqlDBClient
        do { client = KsqlDBClient(configuration: try settings.clientConfiguration()) } catch {
            return Check(name: "ksqldb", ok: false, detail: "\(error)")
        }
        do {
            let info = try await client.info()
            let health = try await client.healthcheck()
            try? await client.shutdown()
            let unhealthy = health.details.filter { !$0.value }.keys.sorted()
            let detail = "\(client.configuration.endpoint) answers: version \(info.version), \(info.status ?? "status unknown")"
                + (health.isHealthy ? ", healthy" : ", unhealthy (\(unhealthy.joined(separator: ", ")))")
            return Check(name: "ksqldb", ok: health.isHealthy, detail: detail)
        } catch {
            try? await client.shutdown()
            return Check(name: "ksqldb", ok: false, detail: "\(error)")
        }
    }

    /// The checks that need no ksqlDB.
    func localChecks() -> [Check] {
        var checks: [Check] = []
        checks.append(Check(name: "libyaml", ok: true, detail: "version \(String(cString: yaml_get_version_string()))"))
        let probe = Array("datalake doctor probe datalake doctor probe".utf8)
        var compressed = [UInt8](repeating: 0, count: snappy_max_compressed_length(probe.count))
        var length = compressed.count
        let status = probe.withUnsafeBufferPointer { src in
            compressed.withUnsafeMutableBufferPointer { dst in
                src.withMemoryRebound(to: CChar.self) { s in
                    dst.withMemoryRebound(to: CChar.self) { d in snappy_compress(s.baseAddress, s.count, d.baseAddress, &length) }
                }
            }
        }
        checks.append(Check(name: "libsnappy", ok: status == SNAPPY_OK, detail: status == SNAPPY_OK ? "compresses (\(probe.count) → \(length) bytes)" : "snappy_compress failed"))
        checks.append(Check(name: "libzstd", ok: true, detail: "version \(String(cString: ZSTD_versionString()))"))

        let desired: DesiredState
        do {
            desired = try DesiredStateLoader.load(configPath: configPath)
            checks.append(Check(name: "config", ok: true, detail: "\(configPath) and \(Plural.count(desired.feeds.count, "feed")) are valid"))
        } catch {
            checks.append(Check(name: "config", ok: false, detail: "\(error.diagnostics.count) error(s); run `datalake validate`"))
            return checks
        }
        let storage: any LakeStorage
        do { storage = try desired.config.openStorage() } catch {
            checks.append(Check(name: "layout", ok: false, detail: error.diagnostics.map(\.message).joined(separator: "; ")))
            return checks
        }
        let missing = storage.capabilities.directories
            ? (([LakePath.root] + LakeLayout.directories).filter { (try? storage.entry(at: $0))??.kind != .directory })
            : []
        checks.append(Check(name: "layout", ok: missing.isEmpty,
                            detail: missing.isEmpty ? "\(storage.location) has every directory"
                                : "missing \(missing.map(storage.describe).joined(separator: ", ")); run `datalake init`"))
        if missing.isEmpty {
            let probe = LakePath.root.appending(".doctor-probe")
            let writable = (try? storage.put(probe, Array("probe\n".utf8), mode: 0o644)) != nil
            try? storage.delete([probe])
            checks.append(Check(name: "lake writable", ok: writable, detail: writable ? "\(storage.location) accepts durable writes" : "cannot write in \(storage.location)"))
        }
        do {
            let registry = try Registry.load(storage, defaults: desired.config.defaults)
            var problems: [String] = []
            for (name, feed) in registry.feeds where feed.state == .active {
                let dir = LakeLayout.dataDirectory(name, type: feed.record.spec.type)
                if storage.capabilities.directories, (try? storage.entry(at: dir))??.kind != .directory {
                    problems.append("\(name): no \(storage.describe(dir))")
                }
            }
            problems += registry.warnings.map(\.description)
            checks.append(Check(name: "registry", ok: problems.isEmpty,
                                detail: problems.isEmpty ? "\(Plural.count(registry.feeds.count, "record")) consistent with the layout" : problems.sorted().joined(separator: "; ")))
        } catch {
            checks.append(Check(name: "registry", ok: false, detail: error.diagnostics.map(\.description).joined(separator: "; ")))
        }
        return checks
    }
}
