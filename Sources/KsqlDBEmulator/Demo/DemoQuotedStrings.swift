/// JSON-quoted strings in one immortal buffer: rows copy them with no reference counting, which
/// matters at a million rows per second.
final class DemoQuotedStrings: @unchecked Sendable {
    private let bytes: UnsafeMutableBufferPointer<UInt8>
    private let starts: UnsafeMutableBufferPointer<Int>

    init(_ strings: [String]) {
        var all: [UInt8] = []
        var starts: [Int] = []
        for string in strings {
            starts.append(all.count)
            all.writeJSONString(string)
        }
        starts.append(all.count)
        bytes = UnsafeMutableBufferPointer.allocate(capacity: all.count)
        _ = bytes.initialize(from: all)
        self.starts = UnsafeMutableBufferPointer.allocate(capacity: starts.count)
        _ = self.starts.initialize(from: starts)
    }

    deinit {
        bytes.deallocate()
        starts.deallocate()
    }

    subscript(index: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: UnsafeBufferPointer(bytes)[starts[index]..<starts[index + 1]])
    }
}
