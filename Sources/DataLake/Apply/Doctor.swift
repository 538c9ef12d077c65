internal import CSnappy
internal import CYAML
internal import CZstd
import Foundation

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

    /// Runs the offline checks; the CLI adds the ksqlDB reachability check.
    package func run() -> [Check] {
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
            checks.append(Check(name: "config", ok: true, detail: "\(configPath) and \(desired.feeds.count) feeds are valid"))
        } catch {
            checks.append(Check(name: "config", ok: false, detail: "\(error.diagnostics.count) error(s); run `datalake validate`"))
            return checks
        }
        let layout = LakeLayout(root: desired.config.root)
        let missing = layout.directories.filter { !FileIO.isDirectory($0) }
        checks.append(Check(name: "layout", ok: missing.isEmpty,
                            detail: missing.isEmpty ? "\(layout.root) has every directory" : "missing \(missing.joined(separator: ", ")); run `datalake init`"))
        if missing.isEmpty {
            let probePath = layout.path(".doctor-probe")
            let writable = (try? FileIO.writeAtomically(probePath, "probe\n")) != nil
            try? FileIO.remove(probePath)
            checks.append(Check(name: "lake writable", ok: writable, detail: writable ? "\(layout.root) accepts durable writes" : "cannot write in \(layout.root)"))
        }
        do {
            let registry = try Registry.load(layout, defaults: desired.config.defaults)
            var problems: [String] = []
            for (name, feed) in registry.feeds where feed.state == .active {
                let dir = layout.dataDirectory(name, type: feed.record.spec.type)
                if !FileIO.isDirectory(dir) { problems.append("\(name): no \(dir)") }
            }
            problems += registry.warnings.map(\.description)
            checks.append(Check(name: "registry", ok: problems.isEmpty,
                                detail: problems.isEmpty ? "\(registry.feeds.count) records consistent with the layout" : problems.sorted().joined(separator: "; ")))
        } catch {
            checks.append(Check(name: "registry", ok: false, detail: error.diagnostics.map(\.description).joined(separator: "; ")))
        }
        return checks
    }
}
