/// The one seam between datalake and where a lake lives: every read, write, listing, deletion,
/// publication and mode change of lake state goes through it. It is shaped so that an object store
/// (no rename, no directories, no modes) can implement it: streamed writes that become visible as a
/// whole, listing by prefix with sizes, create-if-absent for commit points and locks, and deletes of
/// many paths at once.
package protocol LakeStorage: Sendable {
    /// The lake, for messages: a directory, or a URL such as `s3://bucket/prefix`.
    var location: String { get }
    /// What this backend can do beyond the common core.
    var capabilities: StorageCapabilities { get }

    /// How `path` reads in messages (a full local path, or an object URL).
    func describe(_ path: LakePath) -> String

    /// The bytes at `path`, or nil when there is none. More than `limit` bytes is an error.
    func read(_ path: LakePath, limit: Int) throws(StorageError) -> [UInt8]?

    /// The entry at `path` (never following a symbolic link), or nil when there is none.
    func entry(at path: LakePath) throws(StorageError) -> StorageEntry?

    /// Every entry below `prefix` (not `prefix` itself), at any depth, sorted by path. Directories
    /// appear only where the backend has them.
    func list(under prefix: LakePath) throws(StorageError) -> [StorageEntry]

    /// Writes `bytes` at `path`, replacing what is there, atomically and durably.
    func put(_ path: LakePath, _ bytes: [UInt8], mode: UInt16) throws(StorageError)

    /// Writes `bytes` at `path` only when nothing is there (a commit point, a lock); false when
    /// something already is. Atomic: of two racing writers exactly one succeeds.
    func createIfAbsent(_ path: LakePath, _ bytes: [UInt8], mode: UInt16) throws(StorageError) -> Bool

    /// Appends `bytes` to the file at `path` (created when absent), durably: logs.
    func append(_ path: LakePath, _ bytes: [UInt8], mode: UInt16) throws(StorageError)

    /// Starts a streamed write of `path`, visible only once published.
    func stage(_ path: LakePath, mode: UInt16) throws(StorageError) -> any StagedObject

    /// Makes the staged object of `path` visible under its name (roll-forward of a commit).
    func publish(_ path: LakePath) throws(StorageError) -> PublishResult

    /// For a listed path, the final path it stages when it is a staged object (`.NAME.tmp` locally),
    /// or nil when it is not one.
    func stagedTarget(of path: LakePath) -> LakePath?

    /// Deletes the files at `paths` (missing ones are not an error).
    func delete(_ paths: [LakePath]) throws(StorageError)

    /// Deletes `path` and everything below it, never following a symbolic link.
    func deleteTree(_ path: LakePath) throws(StorageError)

    /// Removes the directory `path` when it is empty; true when it did (always false without directories).
    func removeDirectoryIfEmpty(_ path: LakePath) throws(StorageError) -> Bool

    /// Creates `path` and its missing parents as directories with `mode` (nothing where the backend
    /// has no directories). Existing directories keep their mode.
    func makeDirectories(_ path: LakePath, mode: UInt16) throws(StorageError)

    /// Sets the permission bits of `path`; a symbolic link is refused, never followed.
    func setMode(_ path: LakePath, _ mode: UInt16) throws(StorageError)

    /// Uploads begun below `prefix` and never completed (a crash mid multipart upload): invisible
    /// objects that still cost storage. Empty where writes cannot be left half-done that way.
    func incompleteUploads(under prefix: LakePath) throws(StorageError) -> [LakePath]

    /// Aborts the incomplete uploads of these paths.
    func abortUploads(_ paths: [LakePath]) throws(StorageError)

    /// Removes the lock named by `path` whoever holds it (`force-unlock`), and says whose it was; nil
    /// when there was none. A lock the kernel holds (flock) cannot be broken this way: an error says so.
    func breakLock(_ path: LakePath) throws(StorageError) -> String?

    /// Takes the exclusive lock named by `path`, or fails at once naming its holder.
    func lock(_ path: LakePath) throws(StorageError) -> any LakeLock

    /// Moves the files at `paths` to `tier` (a storage class on S3, `tier_root` for a local lake's
    /// second directory), keeping their lake paths: listings then report them with that tier.
    /// Each file moves whole; one interrupted half-way is moved again by the next call.
    func tier(_ paths: [LakePath], to tier: String) throws(StorageError)
}

/// What a backend can do beyond the common core.
package struct StorageCapabilities: Sendable, Equatable {
    /// Permission bits (local filesystems): access levels become modes.
    package var modes: Bool
    /// Real directories, which can be empty.
    package var directories: Bool
    /// Staged objects are written under their final names (an object store: no rename), so an
    /// object no commit names is a leftover of an interrupted export.
    package var stagesInPlace: Bool

    /// Locks are objects that outlive a holder that dies (leases), so they can be left behind.
    package var leaseLocks: Bool
    /// How old data can move to cheaper storage.
    package var tiering: Tiering

    package init(modes: Bool, directories: Bool, stagesInPlace: Bool = false, leaseLocks: Bool = false, tiering: Tiering = .none) {
        self.modes = modes
        self.directories = directories
        self.stagesInPlace = stagesInPlace
        self.leaseLocks = leaseLocks
        self.tiering = tiering
    }
}

/// How a backend tiers old data.
package enum Tiering: Sendable, Equatable {
    /// It cannot.
    case none
    /// Objects change storage class in place (S3's CopyObject onto itself).
    case storageClasses
    /// Files move to a second directory with the same layout (a local lake's `tier_root`).
    case secondRoot

    /// The tier name a second-root backend reports and accepts.
    package static let secondRootName = "tier_root"
}

/// What `publish` found.
package enum PublishResult: Sendable, Equatable {
    /// The staged object is now visible.
    case published
    /// Nothing staged, but the final object exists: an earlier roll-forward did it.
    case alreadyPublished
    /// Neither: the committed file is lost.
    case missing
}

extension LakeStorage {
    /// True when something is at `path`.
    package func exists(_ path: LakePath) throws(StorageError) -> Bool { try entry(at: path) != nil }
}
