import LakeStorage

/// `datalake init`: writes the starter config and feed files when absent, then the lake layout.
/// Never overwrites anything, so re-running is harmless.
package struct LakeInitializer {
    package var configPath: String

    package init(configPath: String) { self.configPath = configPath }

    /// Returns what it created: local paths, and lake directories as the storage names them.
    package func run() throws -> [String] {
        var created: [String] = []
        if !LocalFiles.exists(configPath) {
            try LocalFiles.writeAtomically(configPath, DefaultConfig.lakeYAML)
            created.append(configPath)
        }
        let config = try DesiredStateLoader.loadConfigOnly(configPath: configPath)
        if !LocalFiles.isDirectory(config.feedsDirectory) {
            try LocalFiles.makeDirectories(config.feedsDirectory)
            created.append(config.feedsDirectory)
            for file in DefaultConfig.feedFiles {
                let path = LocalFiles.join(config.feedsDirectory, file.name)
                try LocalFiles.writeAtomically(path, file.text)
                created.append(path)
            }
        }
        let storage = try config.openStorage()
        created += try LakeLayout.create(in: storage).map(storage.describe)
        return created
    }
}
