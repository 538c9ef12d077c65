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
    /// The storage tier a file sits in when it is not the lake's default one: an S3 storage class
    /// such as `STANDARD_IA`, or `tier_root` for a file moved to a local lake's second directory.
    package var tier: String?
    /// When the file was last written (epoch ms), where listings give it.
    package var modified: Int64?

    package init(path: LakePath, kind: Kind, size: Int, mode: UInt16?, tier: String? = nil) {
        self.path = path
        self.kind = kind
        self.size = size
        self.mode = mode
        self.tier = tier
    }
}
