/// The levels or dictionary indices of a column's open page: appended once per value, so an
/// `Array`'s uniqueness check on each append was most of an append's cost (a tenth of a nested
/// export's encoding thread). The `ColumnWriter` that holds one frees it in its `deinit`; it is never
/// copied out of that writer. `KsqlParquet`'s `ColumnBuffer` is its twin on the parsing side: one
/// shared `package` type was tried, and its `@inlinable` methods were not inlined across modules
/// (the parser called the unspecialized generic append: flat convert 0.36 → 0.48 s).
struct PageBuffer<Element: BitwiseCopyable> {
    private var storage = UnsafeMutableBufferPointer<Element>(start: nil, count: 0)
    private(set) var count = 0

    @inline(__always)
    mutating func append(_ v: Element) {
        if count == storage.count { reserve(count + 1) }
        storage[count] = v
        count += 1
    }

    @inline(__always)
    mutating func append(contentsOf values: UnsafeBufferPointer<Element>) {
        guard let from = values.baseAddress, !values.isEmpty else { return }
        if count + values.count > storage.count { reserve(count + values.count) }
        (storage.baseAddress.unsafelyUnwrapped + count).update(from: from, count: values.count)
        count += values.count
    }

    @inline(never)
    private mutating func reserve(_ minimum: Int) {
        let grown = UnsafeMutableBufferPointer<Element>.allocate(capacity: Swift.max(minimum, storage.count * 2, 1024))
        if let old = storage.baseAddress {
            grown.baseAddress.unsafelyUnwrapped.update(from: old, count: count)
            storage.deallocate()
        }
        storage = grown
    }

    mutating func removeLast(_ k: Int) {
        precondition(k >= 0 && k <= count, "removing more values than the page holds")
        count -= k
    }

    /// Empties the page, keeping its memory for the next one.
    mutating func removeAll() { count = 0 }

    /// The values, valid until the next append.
    var values: UnsafeBufferPointer<Element> { UnsafeBufferPointer(start: storage.baseAddress, count: count) }

    mutating func deallocate() {
        storage.deallocate()
        storage = UnsafeMutableBufferPointer(start: nil, count: 0)
        count = 0
    }
}
