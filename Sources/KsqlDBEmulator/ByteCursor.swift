/// A write position in array storage reserved beforehand (`Array.append(atMost:_:)`). Each store is
/// a plain memory write: `Array.append` checks capacity and uniqueness (a runtime call) per call,
/// which dominated rendering rows of many small tokens.
struct ByteCursor {
    /// The widest decimal integer: `-9223372036854775808`.
    static let maxIntegerBytes = 20

    private(set) var position: UnsafeMutablePointer<UInt8>
    private let end: UnsafeMutablePointer<UInt8>

    fileprivate init(_ buffer: UnsafeMutableBufferPointer<UInt8>) {
        position = buffer.baseAddress!
        end = position + buffer.count
    }

    @inline(__always) mutating func write(_ byte: UInt8) {
        assert(position < end, "ByteCursor overflow")
        position.initialize(to: byte)
        position += 1
    }

    @inline(__always) mutating func write(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress else { return }
        let count = bytes.count
        assert(end - position >= count, "ByteCursor overflow")
        // Most tokens are a few bytes, which two overlapping word moves copy faster than a memmove call.
        let source = UnsafeRawPointer(base)
        let target = UnsafeMutableRawPointer(position)
        if count >= 8 && count <= 16 {
            target.storeBytes(of: source.loadUnaligned(as: UInt64.self), as: UInt64.self)
            target.storeBytes(of: source.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self), toByteOffset: count - 8, as: UInt64.self)
        } else if count >= 4 && count < 8 {
            target.storeBytes(of: source.loadUnaligned(as: UInt32.self), as: UInt32.self)
            target.storeBytes(of: source.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self), toByteOffset: count - 4, as: UInt32.self)
        } else {
            position.initialize(from: base, count: count)
        }
        position += count
    }

    @inline(__always) mutating func write(_ text: StaticString) {
        write(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Writes `value` on exactly `width` digits; the caller guarantees `0 <= value < 10^width`.
    @inline(__always) mutating func writeFixedDigits(_ value: Int64, width: Int) {
        assert(end - position >= width, "ByteCursor overflow")
        var rest = value
        for index in stride(from: width - 1, through: 0, by: -1) {
            position[index] = UInt8(truncatingIfNeeded: rest % 10) &+ 0x30
            rest /= 10
        }
        position += width
    }

    mutating func writeDecimalInteger(_ value: Int64) {
        if value < 0 { write(UInt8(ascii: "-")) }
        writeDigits(value.magnitude)
    }

    /// Plain notation with exactly `scale` fraction digits (Jackson `WRITE_BIGDECIMAL_AS_PLAIN`);
    /// at most `maxIntegerBytes + 1 + scale` bytes.
    mutating func writeDecimal(unscaled: Int64, scale: Int) {
        guard scale > 0 else {
            writeDecimalInteger(unscaled)
            return
        }
        let power = UInt64(EmulatorDecimal.powerOfTen(scale))
        let magnitude = unscaled.magnitude
        if unscaled < 0 { write(UInt8(ascii: "-")) }
        writeDecimalInteger(Int64(magnitude / power))
        write(UInt8(ascii: "."))
        var fraction = magnitude % power
        assert(end - position >= scale, "ByteCursor overflow")
        for index in stride(from: scale - 1, through: 0, by: -1) {
            position[index] = UInt8(truncatingIfNeeded: fraction % 10) &+ 0x30
            fraction /= 10
        }
        position += scale
    }

    private mutating func writeDigits(_ magnitude: UInt64) {
        var count = 1
        var limit: UInt64 = 10
        while count < 20 && magnitude >= limit {
            count += 1
            limit &*= 10
        }
        assert(end - position >= count, "ByteCursor overflow")
        // Two digits per division, from a table of the pairs "00" to "99".
        let pairs: StaticString = """
            00010203040506070809101112131415161718192021222324252627282930313233343536373839\
            40414243444546474849505152535455565758596061626364656667686970717273747576777879\
            8081828384858687888990919293949596979899
            """
        let table = pairs.utf8Start
        var rest = magnitude
        var index = count
        while rest >= 100 {
            let pair = Int(truncatingIfNeeded: rest % 100) &* 2
            rest /= 100
            index -= 2
            position[index] = table[pair]
            position[index + 1] = table[pair + 1]
        }
        if rest >= 10 {
            position[index - 2] = table[Int(truncatingIfNeeded: rest) &* 2]
            position[index - 1] = table[Int(truncatingIfNeeded: rest) &* 2 + 1]
        } else {
            position[index - 1] = UInt8(truncatingIfNeeded: rest) &+ 0x30
        }
        position += count
    }
}

extension Array where Element == UInt8 {
    /// Appends what `write` writes through a cursor into at most `maxCount` bytes reserved at the end.
    @inline(__always) mutating func append(atMost maxCount: Int, _ write: (inout ByteCursor) -> Void) {
        append(addingCapacity: maxCount) { span in
            span.withUnsafeMutableBufferPointer { buffer, initialized in
                var cursor = ByteCursor(buffer)
                write(&cursor)
                initialized = cursor.position - buffer.baseAddress!
            }
        }
    }
}
