import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The POSIX calls datalake makes on local files, in one place (Linux and macOS). Lake paths reach
/// them only through `LocalLakeStorage`; the CLI's own files (lake.yaml, feed files, a saved plan, a
/// report, `convert`'s input and output) use them directly.
///
/// Every replacing write is durable and atomic: the hidden temporary `.NAME.tmp` in the same
/// directory, fsync, rename(2), then fsync of the directory (Foundation's `replaceItemAt` is broken on
/// Linux in this toolchain, and its `.atomic` writes do not fsync the directory).
package enum LocalFiles {
    /// The hidden temporary a file is written under before it is renamed into place.
    package static func temporaryName(of name: String) -> String { "." + name + ".tmp" }

    /// The final name of a temporary, or nil when `name` is not one.
    package static func finalName(ofTemporary name: String) -> String? {
        guard name.hasPrefix("."), name.hasSuffix(".tmp"), name.count > 5 else { return nil }
        return String(name.dropFirst().dropLast(4))
    }

    static func errorText(_ code: Int32 = errno) -> String { String(cString: strerror(code)) }

    static func failure(_ path: String, _ what: String) -> StorageError {
        StorageError(path, "\(what) failed: \(errorText())")
    }

    static func split(_ path: String) -> (directory: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let dir = String(path[..<slash])
        return (dir.isEmpty ? "/" : dir, String(path[path.index(after: slash)...]))
    }

    /// The directory part of `path` as written: "" for a bare name, "/" for a file in the root.
    package static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// The name after the last slash.
    package static func name(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    /// `directory/name`, without doubling a slash.
    package static func join(_ directory: String, _ name: String) -> String {
        directory.isEmpty ? name : (directory.hasSuffix("/") ? directory + name : directory + "/" + name)
    }

    // MARK: reading

    /// The bytes of a regular file, at most `limit` (more is an error, read no further than one byte
    /// past it, so `/dev/zero` cannot hang it). Nil when there is no such file.
    package static func read(_ path: String, limit: Int = Int.max, followSymlinks: Bool = true) throws(StorageError) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | (followSymlinks ? 0 : O_NOFOLLOW))
        guard fd >= 0 else {
            if errno == ENOENT { return nil }
            throw StorageError(path, errorText())
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw failure(path, "stat") }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw StorageError(path, "not a regular file") }
        var out: [UInt8] = []
        out.reserveCapacity(min(Int(st.st_size), limit == Int.max ? Int(st.st_size) : limit + 1))
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let want = limit == Int.max ? chunk.count : min(chunk.count, limit + 1 - out.count)
            if want <= 0 { break }
            let n = chunk.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress, want) }
            if n < 0 {
                if errno == EINTR { continue }
                throw failure(path, "read")
            }
            if n == 0 { break }
            out.append(contentsOf: chunk[0..<n])
        }
        if out.count > limit { throw StorageError(path, "larger than the limit of \(limit) bytes") }
        return out
    }

    /// What is at `path`, never following a final symbolic link.
    package static func kind(_ path: String) -> (kind: StorageEntry.Kind, size: Int, mode: UInt16)? {
        var st = stat()
        guard lstat(path, &st) == 0 else { return nil }
        let type = st.st_mode & S_IFMT
        let kind: StorageEntry.Kind = type == S_IFDIR ? .directory : (type == S_IFLNK ? .symlink : .file)
        return (kind, kind == .file ? Int(st.st_size) : 0, UInt16(st.st_mode & 0o7777))
    }

    package static func exists(_ path: String) -> Bool { kind(path) != nil }

    package static func isDirectory(_ path: String) -> Bool { kind(path)?.kind == .directory }

    /// Names in a directory, sorted, without `.` and `..`.
    package static func listDirectory(_ path: String) throws(StorageError) -> [String] {
        guard let dir = opendir(path) else { throw StorageError(path, errorText()) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = entryName(entry)
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    static func entryName(_ entry: UnsafeMutablePointer<dirent>) -> String {
        withUnsafeBytes(of: entry.pointee.d_name) { raw in String(cString: raw.bindMemory(to: CChar.self).baseAddress!) }
    }

    /// Every entry below `path` (relative names, `/`-separated), never following symbolic links:
    /// one `readdir` per directory and one `fstatat` per non-directory, as `find` does.
    package static func walk(_ path: String, into out: inout [(relative: String, kind: StorageEntry.Kind, size: Int, mode: UInt16, modified: Int64)],
                             relative: String = "") {
        guard let dir = opendir(path) else { return }
        defer { closedir(dir) }
        var subdirectories: [(String, String)] = []
        while let entry = readdir(dir) {
            let name = entryName(entry)
            if name == "." || name == ".." { continue }
            let child = relative.isEmpty ? name : relative + "/" + name
            var st = stat()
            guard fstatat(dirfd(dir), name, &st, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
            let type = st.st_mode & S_IFMT
            let mode = UInt16(st.st_mode & 0o7777)
            let modified = modifiedMillis(st)
            if type == S_IFDIR {
                out.append((child, .directory, 0, mode, modified))
                subdirectories.append((path + "/" + name, child))
            } else {
                out.append((child, type == S_IFLNK ? .symlink : .file, type == S_IFLNK ? 0 : Int(st.st_size), mode, modified))
            }
        }
        for (full, child) in subdirectories { walk(full, into: &out, relative: child) }
    }

    /// The modification time of a stat, in epoch ms.
    static func modifiedMillis(_ st: stat) -> Int64 {
        #if canImport(Darwin)
        let t = st.st_mtimespec
        #else
        let t = st.st_mtim
        #endif
        return Int64(t.tv_sec) * 1000 + Int64(t.tv_nsec) / 1_000_000
    }

    // MARK: writing

    /// Writes `bytes` to `path` atomically and durably, with `mode`.
    package static func writeAtomically(_ path: String, _ bytes: [UInt8], mode: UInt16 = 0o644) throws(StorageError) {
        let (directory, name) = split(path)
        let temp = join(directory, temporaryName(of: name))
        try writeTemporary(temp, for: path, in: directory, bytes, mode: mode)
        if systemRename(temp, path) != 0 {
            let e = failure(path, "rename")
            unlink(temp)
            throw e
        }
        try fsyncDirectory(directory)
    }

    package static func writeAtomically(_ path: String, _ text: String, mode: UInt16 = 0o644) throws(StorageError) {
        try writeAtomically(path, Array(text.utf8), mode: mode)
    }

    /// Creates `path` durably with `bytes`, refusing to replace an existing file: link(2) fails when
    /// the target exists, unlike rename(2), so the check is atomic. False when `path` existed.
    package static func createNew(_ path: String, _ bytes: [UInt8], mode: UInt16 = 0o644) throws(StorageError) -> Bool {
        let (directory, name) = split(path)
        let temp = join(directory, temporaryName(of: name))
        try writeTemporary(temp, for: path, in: directory, bytes, mode: mode)
        defer { unlink(temp) }
        if link(temp, path) != 0 {
            if errno == EEXIST { return false }
            throw failure(path, "link")
        }
        try fsyncDirectory(directory)
        return true
    }

    /// Appends `bytes` to `path` (created with `mode` when absent) and fsyncs it.
    package static func append(_ path: String, _ bytes: [UInt8], mode: UInt16) throws(StorageError) {
        let created = !exists(path)
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, mode_t(mode))
        guard fd >= 0 else { throw failure(path, "open") }
        defer { close(fd) }
        try writeAll(fd, bytes, path: path)
        if fsync(fd) != 0 { throw failure(path, "fsync") }
        if created {
            _ = fchmod(fd, mode_t(mode))
            try fsyncDirectory(split(path).directory)
        }
    }

    /// Writes the temporary file of `path`; an error names `path`, never the temporary name the
    /// user did not choose, and a missing directory is said as such.
    private static func writeTemporary(_ temp: String, for path: String, in directory: String, _ bytes: [UInt8],
                                       mode: UInt16) throws(StorageError) {
        do { try writeNew(temp, bytes, mode: mode, truncate: true) } catch {
            throw StorageError(path, isDirectory(directory) ? error.reason : "no such directory")
        }
    }

    private static func writeNew(_ path: String, _ bytes: [UInt8], mode: UInt16, truncate: Bool) throws(StorageError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode_t(mode))
        guard fd >= 0 else { throw failure(path, "open") }
        var ok = false
        defer {
            close(fd)
            if !ok { unlink(path) }
        }
        try writeAll(fd, bytes, path: path)
        if fchmod(fd, mode_t(mode)) != 0 { throw failure(path, "chmod") }
        if fsync(fd) != 0 { throw failure(path, "fsync") }
        ok = true
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(StorageError) {
        let result: Result<Void, StorageError> = bytes.withUnsafeBytes { raw in
            Result { () throws(StorageError) in try writeAll(fd, raw, path: path) }
        }
        try result.get()
    }

    static func writeAll(_ fd: Int32, _ raw: UnsafeRawBufferPointer, path: String) throws(StorageError) {
        var off = 0
        while off < raw.count {
            let n = systemWrite(fd, raw.baseAddress! + off, raw.count - off)
            if n < 0 {
                if errno == EINTR { continue }
                throw failure(path, "write")
            }
            off += n
        }
    }

    /// Opens a new file for a streamed write (truncating one left by a crash).
    static func openForWriting(_ path: String, mode: UInt16) throws(StorageError) -> Int32 {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode_t(mode))
        guard fd >= 0 else { throw failure(path, "open") }
        _ = fchmod(fd, mode_t(mode))
        return fd
    }

    static func syncAndClose(_ fd: Int32, path: String) throws(StorageError) {
        defer { close(fd) }
        if fsync(fd) != 0 { throw failure(path, "fsync") }
    }

    static func closeQuietly(_ fd: Int32) { close(fd) }

    // MARK: the namespace

    package static func rename(_ from: String, to: String) throws(StorageError) {
        if systemRename(from, to) != 0 { throw failure(to, "rename") }
        try fsyncDirectory(split(to).directory)
    }

    /// Deletes a file or symbolic link; a missing one is not an error.
    package static func remove(_ path: String) throws(StorageError) {
        if unlink(path) != 0 {
            if errno == ENOENT { return }
            throw failure(path, "unlink")
        }
        try fsyncDirectory(split(path).directory)
    }

    /// `rm -rf` of one path, never following a symbolic link.
    package static func removeTree(_ path: String) throws(StorageError) {
        guard let k = kind(path) else { return }
        if k.kind == .directory {
            for name in try listDirectory(path) { try removeTree(path + "/" + name) }
            if rmdir(path) != 0 && errno != ENOENT { throw failure(path, "rmdir") }
        } else if unlink(path) != 0 && errno != ENOENT {
            throw failure(path, "unlink")
        }
    }

    /// rmdir(2): true when the directory was empty and is gone.
    package static func removeDirectoryIfEmpty(_ path: String) throws(StorageError) -> Bool {
        if rmdir(path) == 0 { return true }
        switch errno {
        case ENOENT, ENOTEMPTY, EEXIST: return false
        default: throw failure(path, "rmdir")
        }
    }

    /// `mkdir -p` with `mode` for the directories it creates; existing ones keep theirs.
    package static func makeDirectories(_ path: String, mode: UInt16 = 0o755) throws(StorageError) {
        if isDirectory(path) { return }
        let parent = split(path).directory
        if parent != path && parent != "/" && parent != "." { try makeDirectories(parent, mode: 0o755) }
        if mkdir(path, mode_t(mode)) != 0 {
            if errno == EEXIST && isDirectory(path) { return }
            throw failure(path, "mkdir")
        }
        // The umask must neither weaken nor widen the declared mode.
        if chmod(path, mode_t(mode)) != 0 { throw failure(path, "chmod") }
        try fsyncDirectory(parent)
    }

    /// fsync of a directory, so that a rename or a creation in it survives a crash.
    package static func fsyncDirectory(_ path: String) throws(StorageError) {
        let fd = open(path.isEmpty ? "." : path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw failure(path, "open of the directory") }
        defer { close(fd) }
        if fsync(fd) != 0 && errno != EINVAL { throw failure(path, "fsync of the directory") }
    }

    /// chmod that never follows a symbolic link: the file is opened with O_NOFOLLOW (which fails on a
    /// link) and changed through its descriptor.
    package static func setMode(_ path: String, _ mode: UInt16) throws(StorageError) {
        if kind(path)?.kind == .symlink { throw StorageError(path, "is a symbolic link; not following it") }
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard fd >= 0 else {
            if errno == ELOOP { throw StorageError(path, "is a symbolic link; not following it") }
            throw failure(path, "open")
        }
        defer { close(fd) }
        if fchmod(fd, mode_t(mode)) != 0 { throw failure(path, "chmod") }
    }

    // MARK: locks

    /// An exclusive `flock` on `path` (created when absent), or the holder's description when taken.
    static func tryLock(_ path: String) throws(StorageError) -> Result<Int32, LockHeld> {
        // O_CREAT on an existing file changes nothing on disk: an idle apply stays byte-for-byte idle.
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { throw StorageError(path, "cannot open the lock file: \(errorText())") }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let holder = holder(of: fd)
            close(fd)
            return .failure(LockHeld(holder: holder))
        }
        return .success(fd)
    }

    struct LockHeld: Error { var holder: String }

    static func unlock(_ fd: Int32) {
        flock(fd, LOCK_UN)
        close(fd)
    }

    /// "pid N since TIME" of the process holding a flock on `fd`'s inode, from /proc/locks (Linux;
    /// elsewhere the holder is unknown).
    static func holder(of fd: Int32) -> String {
        var st = stat()
        guard fstat(fd, &st) == 0, let locks = try? read("/proc/locks", limit: 16 << 20) else { return "holder unknown" }
        let inode = String(st.st_ino)
        for line in String(decoding: locks, as: UTF8.self).split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            // 1: FLOCK  ADVISORY  WRITE 12345 fd:01:123456 0 EOF
            guard fields.count >= 6, fields[1] == "FLOCK", let pid = Int32(fields[4]),
                  fields[5].split(separator: ":").last.map(String.init) == inode else { continue }
            return "pid \(pid)" + (startTime(ofProcess: pid).map { " since \($0)" } ?? "")
        }
        return "holder unknown"
    }

    /// Epoch seconds of a process's /proc entry (its start, near enough), when there is one.
    static func startTime(ofProcess pid: Int32) -> String? {
        var st = stat()
        guard stat("/proc/\(pid)", &st) == 0 else { return nil }
        #if canImport(Glibc)
        let seconds = Int(st.st_mtim.tv_sec)
        #else
        let seconds = Int(st.st_mtimespec.tv_sec)
        #endif
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: Double(seconds)))
    }

    // MARK: process

    package static var processID: Int32 { getpid() }

    /// Makes standard output line-buffered whatever it is connected to, so that a redirected or
    /// piped run (cron, CI) shows each line as it is printed and a killed one leaves what it said.
    package static func lineBufferStandardOutput() {
        // C's `stdout` is a global variable Swift 6 will not read; its symbol gives the same FILE.
        #if canImport(Glibc)
        let (handle, name) = (UnsafeMutableRawPointer(bitPattern: 0), "stdout")
        #else
        let (handle, name) = (UnsafeMutableRawPointer(bitPattern: -2), "__stdoutp")
        #endif
        guard let symbol = dlsym(handle, name),
              let file = symbol.assumingMemoryBound(to: UnsafeMutablePointer<FILE>?.self).pointee else { return }
        setvbuf(file, nil, _IOLBF, 0)
    }

    /// Writes to standard error without buffering.
    package static func writeStandardError(_ text: String) {
        var s = text
        s.withUTF8 { p in _ = systemWrite(2, p.baseAddress, p.count) }
    }
}

extension LocalFiles {
    #if canImport(Glibc)
    static let systemRead = Glibc.read
    static let systemWrite = Glibc.write
    static let systemRename = Glibc.rename
    #elseif canImport(Darwin)
    static let systemRead = Darwin.read
    static let systemWrite = Darwin.write
    static let systemRename = Darwin.rename
    #endif

    /// A streamed, atomic write of a local file outside any lake (`convert`'s output): the bytes go
    /// to `.NAME.tmp`, and `commit` fsyncs, renames into place and fsyncs the directory.
    package static func atomicWriter(_ path: String, mode: UInt16 = 0o644) throws(StorageError) -> LocalAtomicFile {
        let (directory, name) = split(path)
        return try LocalAtomicFile(path: path, staged: LocalStagedFile(path: .root, temporary: join(directory, temporaryName(of: name)), mode: mode))
    }
}

/// A local file being written atomically: visible under its name only after `commit`.
package final class LocalAtomicFile {
    package let path: String
    let staged: LocalStagedFile
    private var committed = false

    init(path: String, staged: LocalStagedFile) {
        self.path = path
        self.staged = staged
    }

    deinit { if !committed { staged.abort() } }

    package var bytesWritten: Int { staged.bytesWritten }

    package func write(_ bytes: UnsafeRawBufferPointer) throws { try staged.write(bytes) }

    package func commit() throws {
        try staged.finish()
        try LocalFiles.rename(staged.temporary, to: path)
        committed = true
    }

    package func abort() {
        staged.abort()
        committed = true
    }
}
