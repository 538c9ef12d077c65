#if canImport(Glibc)
import Glibc
#endif

/// What is on disk under one feed's directory: day partitions (streams), versions (tables), hidden
/// temporaries, and every entry's mode. The planner diffs it against the metadata and the spec.
package struct FeedDirectoryScan: Sendable {
    /// A `year=YYYY/month=MM/day=DD` partition.
    package struct DayPartition: Sendable, Equatable {
        package var year, month, day: Int
        /// Relative to the feed directory.
        package var path: String
        /// Visible file names.
        package var files: [String]

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
        package var path: String
        package var isDirectory: Bool
        package var mode: UInt16
    }

    package var root: String
    package var exists: Bool
    package var partitions: [DayPartition] = []
    package var versions: [VersionDirectory] = []
    /// Hidden `.*.tmp` files (relative paths): leftovers of an interrupted export unless pending.
    package var temporaries: [String] = []
    /// Every directory and file under the feed directory, itself included (path "" for it).
    package var entries: [Entry] = []
    /// Bytes of the files under each directory (and of each file), from the same walk.
    package var sizes: [String: Int] = [:]

    /// Scans `root` (`streams/<feed>` or `tables/<feed>`).
    package static func scan(_ root: String) -> FeedDirectoryScan {
        var scan = FeedDirectoryScan(root: root, exists: FileIO.isDirectory(root))
        guard scan.exists else { return scan }
        scan.walk("", depth: 0)
        scan.partitions.sort { ($0.year, $0.month, $0.day) < ($1.year, $1.month, $1.day) }
        scan.versions.sort { $0.number < $1.number }
        return scan
    }

    /// Returns the bytes of the files below `relative`.
    @discardableResult
    private mutating func walk(_ relative: String, depth: Int) -> Int {
        let full = relative.isEmpty ? root : root + "/" + relative
        var st = stat()
        guard lstat(full, &st) == 0 else { return 0 }
        var total = 0
        defer { sizes[relative] = total }
        entries.append(Entry(path: relative, isDirectory: true, mode: UInt16(st.st_mode & 0o7777)))
        guard let dir = opendir(full) else { return 0 }
        defer { closedir(dir) }
        var files: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            if name == "." || name == ".." { continue }
            let child = relative.isEmpty ? name : relative + "/" + name
            let isDirectory: Bool
            if entry.pointee.d_type == UInt8(DT_DIR) {
                isDirectory = true
            } else if entry.pointee.d_type == UInt8(DT_UNKNOWN) {
                isDirectory = FileIO.isDirectory(root + "/" + child)
            } else {
                isDirectory = false
            }
            if isDirectory {
                total += walk(child, depth: depth + 1)
                continue
            }
            var fst = stat()
            if fstatat(dirfd(dir), name, &fst, AT_SYMLINK_NOFOLLOW) == 0 {
                entries.append(Entry(path: child, isDirectory: false, mode: UInt16(fst.st_mode & 0o7777)))
                total += Int(fst.st_size)
                sizes[child] = Int(fst.st_size)
            }
            if name.hasPrefix(".") && name.hasSuffix(".tmp") {
                temporaries.append(child)
            } else if !name.hasPrefix(".") && !name.hasPrefix("_") {
                files.append(name)
            }
        }
        files.sort()
        let parts = relative.split(separator: "/")
        if parts.count == 3, let y = Self.value(parts[0], "year="), let m = Self.value(parts[1], "month="), let d = Self.value(parts[2], "day=") {
            partitions.append(DayPartition(year: y, month: m, day: d, path: relative, files: files))
        } else if parts.count == 1, parts[0].hasPrefix("version=v"), let n = Int(parts[0].dropFirst("version=v".count)) {
            versions.append(VersionDirectory(number: n, path: relative, files: files))
        }
        return total
    }

    static func value(_ part: Substring, _ prefix: String) -> Int? {
        part.hasPrefix(prefix) ? Int(part.dropFirst(prefix.count)) : nil
    }

    /// Size in bytes of a path under the feed directory (a file, or a directory's files recursively).
    package func size(of relative: String) -> Int {
        sizes[relative] ?? Self.size(atPath: relative.isEmpty ? root : root + "/" + relative)
    }

    static func size(atPath path: String) -> Int {
        var st = stat()
        guard lstat(path, &st) == 0 else { return 0 }
        guard (st.st_mode & S_IFMT) == S_IFDIR else { return Int(st.st_size) }
        return ((try? FileIO.listDirectory(path)) ?? []).reduce(0) { $0 + size(atPath: path + "/" + $1) }
    }
}

/// Proleptic Gregorian calendar arithmetic on UTC days, without Foundation's Calendar in hot loops.
package enum CivilDate {
    /// Days since 1970-01-01 (Howard Hinnant's days_from_civil).
    package static func epochDay(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// (year, month, day) of a day since 1970-01-01.
    package static func civil(_ epochDay: Int) -> (year: Int, month: Int, day: Int) {
        let z = epochDay + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// Epoch milliseconds → the UTC day number.
    package static func epochDay(ms: Int64) -> Int {
        Int((ms >= 0 ? ms : ms - 86_399_999) / 86_400_000)
    }

    /// `year=YYYY/month=MM/day=DD` for a UTC day.
    package static func partitionPath(_ epochDay: Int) -> String {
        let c = civil(epochDay)
        return "year=\(pad(c.year, 4))/month=\(pad(c.month, 2))/day=\(pad(c.day, 2))"
    }

    static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
