/// A write position in array storage reserved beforehand (`Array.append(atMost:_:)`). Each store is
/// a plain memory write: `Array.append` checks capacity and uniqueness (a runtime call) per call,
/// which dominated rendering rows of many small tokens. The bounds checks stay in release builds: a
/// wrong size estimate must stop the emulator, not write past the reserved bytes.
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
        precondition(position < end, "ByteCursor overflow")
        position.initialize(to: byte)
        position += 1
    }

    @inline(__always) mutating func write(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress else { return }
        let count = bytes.count
        precondition(end - position >= count, "ByteCursor overflow")
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
        writeDigits(UInt64(truncatingIfNeeded: value), count: width)
    }

    mutating func writeDecimalInteger(_ value: Int64) {
        if value < 0 { write(UInt8(ascii: "-")) }
        let magnitude = value.magnitude
        var count = 1
        var limit: UInt64 = 10
        // An Int64's magnitude has at most 19 digits.
        while count < 19 && magnitude >= limit {
            count += 1
            limit &*= 10
        }
        writeDigits(magnitude, count: count)
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
        writeDigits(magnitude % power, count: scale)
    }

    /// The last `count` decimal digits of `value`, leading zeros included, two per division.
    @inline(__always) private mutating func writeDigits(_ value: UInt64, count: Int) {
        precondition(end - position >= count, "ByteCursor overflow")
        let pairs = Self.digitPairs.utf8Start
        var rest = value
        var index = count
        while index >= 2 {
            let pair = Int(truncatingIfNeeded: rest % 100) &* 2
            rest /= 100
            index -= 2
            position[index] = pairs[pair]
            position[index + 1] = pairs[pair + 1]
        }
        if index == 1 { position[0] = UInt8(truncatingIfNeeded: rest % 10) &+ 0x30 }
        position += count
    }

    /// "00" to "99" (a literal, so reading it costs no lazy initialization).
    private static var digitPairs: StaticString {
        """
        00010203040506070809101112131415161718192021222324252627282930313233343536373839\
        40414243444546474849505152535455565758596061626364656667686970717273747576777879\
        8081828384858687888990919293949596979899
        """
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
