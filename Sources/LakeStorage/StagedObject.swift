/// A file being written into the lake: bytes are streamed in, `finish()` makes them durable, and the
/// object becomes visible under its final name only when it is published (`LakeStorage.publish`),
/// after the metadata that lists it is committed. Until then a reader of the lake does not see it
/// (locally it is a hidden `.NAME.tmp`; an object store that cannot hide it says so in its docs).
package protocol StagedObject: AnyObject {
    /// The final path the object is published under.
    var path: LakePath { get }
    /// Bytes written so far.
    var bytesWritten: Int { get }
    func write(_ bytes: UnsafeRawBufferPointer) throws
    /// Flushes and makes the bytes durable; nothing may be written after it.
    func finish() throws
    /// Deletes whatever was written (the export failed before its commit).
    func abort()
}
