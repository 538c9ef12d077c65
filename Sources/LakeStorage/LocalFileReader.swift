#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A local file (or standard input) read front to back in chunks: `convert`'s input.
package final class LocalFileReader {
    private let fd: Int32
    private let owned: Bool
    /// The path, or `<stdin>`.
    package let name: String

    /// Opens `path`; `-` is standard input. With `followSymlinks: false` a symbolic link is refused.
    package init(path: String, followSymlinks: Bool = true) throws(StorageError) {
        if path == "-" {
            fd = STDIN_FILENO
            owned = false
            name = "<stdin>"
            return
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC | (followSymlinks ? 0 : O_NOFOLLOW))
        guard fd >= 0 else { throw StorageError(path, "cannot open: \(LocalFiles.errorText())") }
        self.fd = fd
        owned = true
        name = path
    }

    deinit { if owned { close(fd) } }

    /// Reads up to `buffer.count` bytes; 0 at the end.
    package func read(into buffer: UnsafeMutableRawBufferPointer) throws(StorageError) -> Int {
        while true {
            let n = LocalFiles.systemRead(fd, buffer.baseAddress, buffer.count)
            if n >= 0 { return n }
            if errno != EINTR { throw StorageError(name, "read failed: \(LocalFiles.errorText())") }
        }
    }
}
