/// An exclusive hold on a lake (or part of one), released when the value is released or the holder
/// dies. Taking it never changes the lake's bytes when it is already there.
package protocol LakeLock: AnyObject, Sendable {}
