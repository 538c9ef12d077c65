/// JSON-quoted strings in one immortal buffer: rows copy them with no reference counting, which
/// matters at a million rows per second.
final class DemoQuotedStrings: @unchecked Sendable {
    private let bytes: UnsafeMutableBufferPointer<UInt8>
    private let starts: UnsafeMutableBufferPointer<Int>
    /// The longest quoted string, for bounding a row's size.
    let maxCount: Int

    init(_ strings: [String]) {
        var all: [UInt8] = []
        var starts: [Int] = []
        var maxCount = 0
        for string in strings {
            let start = all.count
            starts.append(start)
            all.writeJSONString(string)
            maxCount = Swift.max(maxCount, all.count - start)
        }
        starts.append(all.count)
        bytes = UnsafeMutableBufferPointer.allocate(capacity: all.count)
        _ = bytes.initialize(from: all)
        self.starts = UnsafeMutableBufferPointer.allocate(capacity: starts.count)
        _ = self.starts.initialize(from: starts)
        self.maxCount = maxCount
    }

    deinit {
        bytes.deallocate()
        starts.deallocate()
    }

    subscript(index: Int) -> UnsafeBufferPointer<UInt8> {
        let start = starts[index]
        return UnsafeBufferPointer(start: bytes.baseAddress! + start, count: starts[index + 1] - start)
    }
}
