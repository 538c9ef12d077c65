import DeltaLake
import LakeStorage
import Parquet

/// What the lake holds under one feed's directory: day partitions (streams), versions (tables),
/// staged leftovers, symbolic links, and every entry's mode and size. The planner diffs it against
/// the metadata and the spec.
package struct FeedDirectoryScan: Sendable {
    /// A `year=YYYY/month=MM/day=DD` partition.
    package struct DayPartition: Sendable, Equatable {
        package var year, month, day: Int
        /// Relative to the feed directory.
        package var path: String
        /// Visible file names.
        package var files: [String]
        /// The tier of each file not in the lake's default tier, by name.
        package var tiers: [String: String] = [:]

        /// Days since 1970-01-01 (UTC), for retention arithmetic.
        package var epochDay: Int { CivilDate.epochDay(year: year, month: month, day: day) }
    }

    /// A `version=vN` directory.
    package struct VersionDirectory: Sendable, Equatable {
        package var number: Int
        package var path: String
        package var files: [String]
    }

    /// An entry whose mode can drift from the access level.
    package struct Entry: Sendable, Equatable {
        /// Relative to the feed directory; "" for the directory itself.
        package var path: String
        package var isDirectory: Bool
        /// nil where the backend has no modes.
        package var mode: UInt16?
    }

    /// The feed directory, relative to the lake root.
    package var root: LakePath
    package var exists: Bool
    package var partitions: [DayPartition] = []
    package var versions: [VersionDirectory] = []
    /// Staged objects (relative paths) with the final path each stages: leftovers of an interrupted
    /// export unless its metadata lists them as pending.
    package var staged: [(path: String, target: String)] = []
    /// Uploads begun and never completed below the feed (relative paths): a crash mid-upload.
    package var incompleteUploads: [String] = []
    /// Symbolic links found in the feed directory: never followed, reported by the plan.
    package var symlinks: [String] = []
    /// Every directory and file, the feed directory itself included (path "").
    package var entries: [Entry] = []
    /// Versions of the Delta log's commit files (`_delta_log/%020d.json`), ascending.
    package var deltaVersions: [Int] = []
    /// The log's commit and checkpoint files, with the version each is of and when it was written.
    package var deltaLogFiles: [(name: String, version: Int, checkpoint: Bool, modified: Int64?)] = []
    /// Bytes of the files under each directory (and of each file).
    package var sizes: [String: Int] = [:]

    package init(root: LakePath, exists: Bool) {
        self.root = root
        self.exists = exists
    }

    /// Lists `root` (`streams/<feed>` or `tables/<feed>`) through `storage`.
    package static func scan(_ root: LakePath, in storage: any LakeStorage) throws(StorageError) -> FeedDirectoryScan {
        // An object store has no directories (nor links): its listing alone says whether the feed
        // exists, and asking first would cost a HEAD and a listing per feed.
        let top = storage.capabilities.directories ? try storage.entry(at: root) : nil
        if top?.kind == .symlink {
            var scan = FeedDirectoryScan(root: root, exists: false)
            scan.symlinks = [""]
            return scan
        }
        let listed = try storage.list(under: root)
        // An object store has no directories: the feed exists when anything is under its prefix.
        var scan = FeedDirectoryScan(root: root, exists: top?.kind == .directory || !listed.isEmpty)
        guard scan.exists else { return scan }
        scan.entries.append(Entry(path: "", isDirectory: true, mode: top?.mode))
        var directories: Set<String> = [""]
        var filesIn: [String: [String]] = [:]
        var tiersIn: [String: [String: String]] = [:]
        // Bytes of the files directly in each directory; summed up the tree after the loop.
        var direct: [String: Int] = [:]
        let hasDirectories = storage.capabilities.directories
        for entry in listed {
            guard let relative = entry.path.relative(to: root), !relative.isEmpty else { continue }
            switch entry.kind {
            case .symlink:
                scan.symlinks.append(relative)
            case .directory:
                directories.insert(relative)
                scan.entries.append(Entry(path: relative, isDirectory: true, mode: entry.mode))
            case .file:
                scan.entries.append(Entry(path: relative, isDirectory: false, mode: entry.mode))
                scan.sizes[relative] = entry.size
                let directory = relative.asPath.directory
                direct[directory, default: 0] += entry.size
                // Every ancestor directory, implied by the file where the backend has none: once one
                // is known, so are all above it.
                var parent = directory
                while directories.insert(parent).inserted {
                    if !hasDirectories { scan.entries.append(Entry(path: parent, isDirectory: true, mode: nil)) }
                    if parent.isEmpty { break }
                    parent = parent.asPath.directory
                }
                let name = relative.asPath.name
                if directory == DeltaLog.directoryName {
                    if let v = DeltaLog.version(ofCommit: name) {
                        scan.deltaVersions.append(v)
                        scan.deltaLogFiles.append((name, v, false, entry.modified))
                    } else if let v = DeltaLog.version(ofCheckpoint: name) {
                        scan.deltaLogFiles.append((name, v, true, entry.modified))
                    }
                }
                if let target = storage.stagedTarget(of: entry.path), let targetRelative = target.relative(to: root) {
                    scan.staged.append((relative, targetRelative))
                } else if !name.hasPrefix(".") && !name.hasPrefix("_") {
                    filesIn[directory, default: []].append(name)
                    if let tier = entry.tier { tiersIn[directory, default: [:]][name] = tier }
                }
            }
        }
        // Each directory's size is its files' and its subdirectories', deepest first.
        for dir in directories.sorted(by: { $0.utf8.count > $1.utf8.count }) {
            let total = (direct[dir] ?? 0) + (scan.sizes[dir] ?? 0)
            scan.sizes[dir] = total
            if !dir.isEmpty { scan.sizes[dir.asPath.directory, default: 0] += total }
        }
        for dir in directories {
            let parts = dir.split(separator: "/")
            let files = (filesIn[dir] ?? []).sorted()
            if parts.count == 3, let y = value(parts[0], "year="), let m = value(parts[1], "month="), let d = value(parts[2], "day=") {
                scan.partitions.append(DayPartition(year: y, month: m, day: d, path: dir, files: files, tiers: tiersIn[dir] ?? [:]))
            } else if let n = Self.versionNumber(dir) {
                scan.versions.append(VersionDirectory(number: n, path: dir, files: files))
            }
        }
        scan.incompleteUploads = try storage.incompleteUploads(under: root).compactMap { $0.relative(to: root) }.sorted()
        scan.partitions.sort { ($0.year, $0.month, $0.day) < ($1.year, $1.month, $1.day) }
        scan.versions.sort { $0.number < $1.number }
        scan.deltaVersions.sort()
        scan.entries.sort { $0.path < $1.path }
        return scan
    }

    static func value(_ part: Substring, _ prefix: String) -> Int? {
        part.hasPrefix(prefix) ? Int(part.dropFirst(prefix.count)) : nil
    }

    /// Size in bytes of a path under the feed directory (a file, or a directory's files recursively).
    package func size(of relative: String) -> Int { sizes[relative] ?? 0 }

    /// Relative paths of the directories directly below `relative` and of its files.
    package func children(of relative: String) -> [String] {
        entries.compactMap { e in
            guard !e.path.isEmpty, e.path.asPath.directory == relative else { return nil }
            return e.path
        } + symlinks.filter { $0.asPath.directory == relative }
    }
}

extension FeedDirectoryScan {
    /// N when `relative` (in a feed's directory) is a table's `version=vN` directory.
    package static func versionNumber(_ relative: String) -> Int? {
        guard !relative.contains("/"), relative.hasPrefix("version=v") else { return nil }
        return Int(relative.dropFirst("version=v".count))
    }

    /// The version directories no commit names that hold no data file (empty, or only the staged
    /// file of a snapshot interrupted before its commit): leftovers, which a cleanup removes.
    package func uncommittedVersionDirectories(committed: [Int]) -> [String] {
        let numbers = Set(committed)
        return versions.filter { $0.files.isEmpty && !numbers.contains($0.number) }.map(\.path)
    }
}

