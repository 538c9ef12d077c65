import Foundation

/// `datalake init`: writes the starter config and feed files when absent, then the lake layout.
/// Never overwrites anything, so re-running is harmless.
package struct LakeInitializer {
    package var configPath: String

    package init(configPath: String) { self.configPath = configPath }

    /// Returns the paths it created.
    package func run() throws -> [String] {
        var created: [String] = []
        if !FileIO.exists(configPath) {
            try FileIO.writeAtomically(configPath, DefaultConfig.lakeYAML)
            created.append(configPath)
        }
        let desired = try DesiredStateLoader.loadConfigOnly(configPath: configPath)
        if !FileIO.isDirectory(desired.feedsDirectory) {
            try FileIO.makeDirectories(desired.feedsDirectory)
            created.append(desired.feedsDirectory)
            for file in DefaultConfig.feedFiles {
                let path = (desired.feedsDirectory as NSString).appendingPathComponent(file.name)
                try FileIO.writeAtomically(path, file.text)
                created.append(path)
            }
        }
        created += try LakeLayout(root: desired.root).create()
        return created
    }
}

extension DesiredStateLoader {
    /// Only `lake.yaml` (for `init`, before any feed file exists).
    package static func loadConfigOnly(configPath: String) throws(DiagnosticsError) -> LakeConfig {
        let bytes: [UInt8]
        do { bytes = try FileIO.read(configPath) } catch {
            throw DiagnosticsError([Diagnostic("cannot read the config: \(error.reason)", file: configPath)])
        }
        let decoder = NodeDecoder()
        let document: YAMLNode?
        do { document = try YAMLParser().parse(bytes, file: configPath).first } catch { throw DiagnosticsError([error]) }
        let config = LakeConfig.decode(document, path: configPath, baseDirectory: (configPath as NSString).deletingLastPathComponent, decoder: decoder)
        if !decoder.diagnostics.isEmpty { throw DiagnosticsError(decoder.diagnostics) }
        return config
    }
}
