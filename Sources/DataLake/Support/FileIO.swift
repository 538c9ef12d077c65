import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A failed file operation, with the errno text.
package struct FileIOError: Error, CustomStringConvertible {
    package var path: String
    package var reason: String
    package var description: String { "\(path): \(reason)" }
}

/// Small POSIX file helpers. Every write is durable and atomic: a temporary name in the same
/// directory, fsync, rename(2), then fsync of the directory (Foundation's replaceItemAt is broken
/// on Linux in this toolchain, and `.atomic` writes do not fsync the directory).
package enum FileIO {
    static func failure(_ path: String, _ what: String) -> FileIOError {
        FileIOError(path: path, reason: "\(what): \(String(cString: strerror(errno)))")
    }

    package static func read(_ path: String) throws(FileIOError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileIOError(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw failure(path, "read")
            }
            if n == 0 { break }
            out.append(contentsOf: chunk[0..<n])
        }
        return out
    }

    package static func exists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0
    }

    package static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    package static func listDirectory(_ path: String) throws(FileIOError) -> [String] {
        guard let dir = opendir(path) else { throw FileIOError(path: path, reason: String(cString: strerror(errno))) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// `mkdir -p` with `mode` for the directories it creates; existing ones are left as they are.
    package static func makeDirectories(_ path: String, mode: UInt16 = 0o755) throws(FileIOError) {
        if isDirectory(path) { return }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty && parent != path { try makeDirectories(parent, mode: 0o755) }
        if mkdir(path, mode_t(mode)) != 0 && errno != EEXIST { throw failure(path, "mkdir") }
        _ = chmod(path, mode_t(mode)) // umask must not weaken or widen the declared mode
        fsyncDirectory(parent.isEmpty ? "." : parent)
    }

    /// Writes `bytes` to `path` atomically and durably, with `mode` permissions.
    package static func writeAtomically(_ path: String, _ bytes: [UInt8], mode: UInt16 = 0o644) throws(FileIOError) {
        let directory = (path as NSString).deletingLastPathComponent
        let base = (path as NSString).lastPathComponent
        let temp = (directory.isEmpty ? "" : directory + "/") + ".\(base).\(getpid()).tmp"
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode_t(mode))
        guard fd >= 0 else { throw failure(temp, "open") }
        var ok = false
        defer {
            if !ok { unlink(temp) }
        }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                let e = failure(temp, "write"); close(fd); throw e
            }
            written += n
        }
        if fchmod(fd, mode_t(mode)) != 0 { let e = failure(temp, "chmod"); close(fd); throw e }
        if fsync(fd) != 0 { let e = failure(temp, "fsync"); close(fd); throw e }
        close(fd)
        if Glibc.rename(temp, path) != 0 { throw failure(path, "rename") }
        ok = true
        fsyncDirectory(directory.isEmpty ? "." : directory)
    }

    package static func writeAtomically(_ path: String, _ text: String, mode: UInt16 = 0o644) throws(FileIOError) {
        try writeAtomically(path, Array(text.utf8), mode: mode)
    }

    package static func remove(_ path: String) throws(FileIOError) {
        if unlink(path) != 0 && errno != ENOENT { throw failure(path, "unlink") }
        fsyncDirectory((path as NSString).deletingLastPathComponent)
    }

    package static func fsyncDirectory(_ path: String) {
        let fd = open(path.isEmpty ? "." : path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
    }

    /// Permission bits of `path`, or nil when it does not exist.
    package static func mode(_ path: String) -> UInt16? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return UInt16(st.st_mode & 0o7777)
    }

    package static func setMode(_ path: String, _ mode: UInt16) throws(FileIOError) {
        if chmod(path, mode_t(mode)) != 0 { throw failure(path, "chmod") }
    }
}

extension FileIO {
    /// `rm -rf` of one path (never follows symlinks out of it).
    package static func removeTree(_ path: String) throws(FileIOError) {
        var st = stat()
        guard lstat(path, &st) == 0 else { return }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            for name in try listDirectory(path) { try removeTree(path + "/" + name) }
            if rmdir(path) != 0 { throw failure(path, "rmdir") }
        } else if unlink(path) != 0 {
            throw failure(path, "unlink")
        }
    }

    /// Removes `path`'s parent directories up to (not including) `stop` while they are empty.
    package static func removeEmptyParents(of path: String, upTo stop: String) {
        var dir = (path as NSString).deletingLastPathComponent
        while dir.count > stop.count && dir.hasPrefix(stop) {
            if rmdir(dir) != 0 { break }
            dir = (dir as NSString).deletingLastPathComponent
        }
    }

    package static func rename(_ from: String, to: String) throws(FileIOError) {
        if Glibc.rename(from, to) != 0 { throw failure(to, "rename") }
        fsyncDirectory((to as NSString).deletingLastPathComponent)
    }
}

extension FileIO {
    /// Creates `path` durably with `bytes`, refusing to replace an existing file: link(2) fails when
    /// the target exists, unlike rename(2), so the no-clobber check is atomic.
    package static func createNew(_ path: String, _ bytes: [UInt8], mode: UInt16 = 0o644) throws(FileIOError) {
        let directory = (path as NSString).deletingLastPathComponent
        let temp = (directory.isEmpty ? "" : directory + "/") + ".\((path as NSString).lastPathComponent).\(getpid()).tmp"
        try writeAtomically(temp, bytes, mode: mode)
        defer { unlink(temp) }
        if link(temp, path) != 0 {
            if errno == EEXIST { throw FileIOError(path: path, reason: "already exists; not overwriting it") }
            throw failure(path, "link")
        }
        fsyncDirectory(directory.isEmpty ? "." : directory)
    }
}
