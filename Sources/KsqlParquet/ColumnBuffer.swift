#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A growable buffer of trivial values, for the parsed columns of a `FlatRowBatch`: an append is a
/// capacity check and a store, with none of `Array`'s uniqueness check, and bytes are appended with
/// one `memcpy`. A flat export appends about a dozen values per row, so that difference is a tenth of
/// the parsing thread.
///
/// It has no owner of its own: copies share the storage, which the batch that holds it frees in its
/// `deinit` (`deallocate()`); a copy must not outlive that batch nor be appended to. It starts
/// without storage, so `Array(repeating:count:)` of an empty buffer shares nothing.
package struct ColumnBuffer<Element: BitwiseCopyable> {
    @usableFromInline package private(set) var base: UnsafeMutablePointer<Element>?
    package private(set) var count = 0
    @usableFromInline package private(set) var capacity = 0

    package init() {}

    @inlinable @inline(__always)
    package subscript(i: Int) -> Element {
        precondition(i >= 0 && i < count, "ColumnBuffer index out of range")
        return base.unsafelyUnwrapped[i]
    }

    @inline(__always)
    package mutating func append(_ v: Element) {
        if count == capacity { grow(minimum: count + 1) }
        base.unsafelyUnwrapped[count] = v
        count += 1
    }

    @inline(never)
    private mutating func grow(minimum: Int) {
        let next = Swift.max(minimum, capacity * 2, 4096 / MemoryLayout<Element>.stride)
        let fresh = UnsafeMutablePointer<Element>.allocate(capacity: next)
        if let base {
            fresh.update(from: base, count: count)
            base.deallocate()
        }
        base = fresh
        capacity = next
    }

    package mutating func removeAll() { count = 0 }

    /// Room for `n` values in all, so that `store(_:at:)` below `n` needs no check.
    package mutating func reserveCapacity(_ n: Int) {
        if n > capacity { grow(minimum: n) }
    }

    /// Stores `v` at `i` (below the capacity, at most `count`) without touching `count`: values filled
    /// by index, each column's flag of a row at the row's number, and counted once per row (`setCount`).
    @inline(__always)
    package mutating func store(_ v: Element, at i: Int) {
        assert(i >= 0 && i < capacity && i <= count, "ColumnBuffer store out of range")
        base.unsafelyUnwrapped[i] = v
    }

    /// Makes the first `n` values (every one of them stored) the buffer's contents.
    @inline(__always)
    package mutating func setCount(_ n: Int) {
        precondition(n >= 0 && n <= capacity, "ColumnBuffer count beyond its capacity")
        count = n
    }

    /// Frees the storage; the buffer (and every copy of it) is empty and unusable afterwards.
    package mutating func deallocate() {
        base?.deallocate()
        base = nil
        count = 0
        capacity = 0
    }

    /// The values, valid until the next append or `deallocate()`.
    package var buffer: UnsafeBufferPointer<Element> { UnsafeBufferPointer(start: base, count: count) }

    /// The values as bytes, valid only inside `body`.
    package func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: base, count: count * MemoryLayout<Element>.stride))
    }
}

extension ColumnBuffer where Element == UInt8 {
    @inline(__always)
    package mutating func append(contentsOf p: UnsafeRawBufferPointer) {
        let n = p.count
        guard n > 0 else { return }
        if count + n > capacity { grow(minimum: count + n) }
        copyShortBytes(UnsafeMutableRawPointer(base.unsafelyUnwrapped + count), p.baseAddress.unsafelyUnwrapped, n)
        count += n
    }
}

/// Copies `n` bytes. Most values are short text: two overlapping word copies (within both ends)
/// cost less than the call to `memcpy`.
@inline(__always)
func copyShortBytes(_ to: UnsafeMutableRawPointer, _ from: UnsafeRawPointer, _ n: Int) {
    if n >= 8 && n <= 16 {
        let head = from.loadUnaligned(as: UInt64.self), tail = from.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
        to.storeBytes(of: head, as: UInt64.self)
        to.storeBytes(of: tail, toByteOffset: n - 8, as: UInt64.self)
    } else if n >= 4 && n < 8 {
        let head = from.loadUnaligned(as: UInt32.self), tail = from.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
        to.storeBytes(of: head, as: UInt32.self)
        to.storeBytes(of: tail, toByteOffset: n - 4, as: UInt32.self)
    } else if n > 0 {
        memcpy(to, from, n)
    }
}
