/// One entry of a lake listing: a file (an object on an object store), a directory (local only) or
/// a symbolic link (local only; never followed).
package struct StorageEntry: Sendable, Equatable {
    package enum Kind: Sendable, Equatable {
        case file, directory, symlink
    }

    package var path: LakePath
    package var kind: Kind
    /// Bytes of a file; 0 for the rest.
    package var size: Int
    /// Permission bits where the backend has them (local), nil elsewhere.
    package var mode: UInt16?

    package init(path: LakePath, kind: Kind, size: Int, mode: UInt16?) {
        self.path = path
        self.kind = kind
        self.size = size
        self.mode = mode
    }
}
