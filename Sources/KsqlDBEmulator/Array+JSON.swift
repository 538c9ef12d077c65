/// Low-level JSON token writers into a byte array (the render target of every response body; a
/// plain array appends much faster than ByteBuffer's checked writes), with Jackson's conventions (ksqlDB serializes with
/// Jackson): strings keep UTF-8, escape only quotes, backslashes and control characters; doubles
/// follow Java's `Double.toString`.
extension Array where Element == UInt8 {
    @inline(__always) mutating func writeInteger(_ byte: UInt8) { append(byte) }

    @inline(__always) mutating func writeStaticString(_ text: StaticString) {
        text.withUTF8Buffer { append(contentsOf: $0) }
    }

    mutating func writeString(_ text: String) { append(contentsOf: text.utf8) }

    mutating func writeJSONString(_ string: String) {
        // Native strings lend their bytes; copying the string to call `withUTF8` costs a retain.
        if string.utf8.withContiguousStorageIfAvailable({ writeJSONString(utf8: $0) }) == nil {
            var string = string
            string.withUTF8 { writeJSONString(utf8: $0) }
        }
    }

    private mutating func writeJSONString(utf8: UnsafeBufferPointer<UInt8>) {
        // Counting first lets the common case (nothing to escape) be a single copy; the count is
        // branch-free, so the compiler vectorizes it.
        var escapes = 0
        for byte in utf8 {
            escapes &+= (byte < 0x20 ? 1 : 0) | (byte == 0x22 ? 1 : 0) | (byte == 0x5C ? 1 : 0)
        }
        // An escape is at most 6 bytes (`\u00XX`) for 1.
        append(atMost: utf8.count + 5 * escapes + 2) { cursor in
            cursor.write(UInt8(ascii: "\""))
            if escapes == 0 {
                cursor.write(utf8)
            } else {
                for byte in utf8 { cursor.writeEscaped(byte) }
            }
            cursor.write(UInt8(ascii: "\""))
        }
    }

    mutating func writeDecimalInteger(_ value: Int64) {
        append(atMost: ByteCursor.maxIntegerBytes) { $0.writeDecimalInteger(value) }
    }

    /// Plain notation with exactly `scale` fraction digits (Jackson `WRITE_BIGDECIMAL_AS_PLAIN`).
    mutating func writeDecimal(unscaled: Int64, scale: Int) {
        append(atMost: ByteCursor.maxIntegerBytes + 1 + Swift.max(scale, 0)) { $0.writeDecimal(unscaled: unscaled, scale: scale) }
    }

    /// Java's `Double.toString`: plain for 1e-3 ≤ |x| < 1e7 (`3.0`, `37.7877`), otherwise
    /// computerized scientific (`1.0E7`, `1.5E-5`). Non-finite values are written as Jackson's strings.
    mutating func writeJavaDouble(_ value: Double) {
        writeString(javaDoubleString(value))
    }
}

extension ByteCursor {
    /// One byte of a JSON string's UTF-8, escaped if JSON requires it (at most 6 bytes).
    mutating func writeEscaped(_ byte: UInt8) {
        switch byte {
        case 0x22: write("\\\"")
        case 0x5C: write("\\\\")
        case 0x0A: write("\\n")
        case 0x0D: write("\\r")
        case 0x09: write("\\t")
        case 0x08: write("\\b")
        case 0x0C: write("\\f")
        case 0..<0x20:
            write("\\u00")
            write(Self.hexDigit(byte >> 4))
            write(Self.hexDigit(byte & 0xF))
        default: write(byte)
        }
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? nibble + 0x30 : nibble + 0x57
    }
}

/// Formats a double as Java's `Double.toString` does, using Swift's shortest round-trip digits.
func javaDoubleString(_ value: Double) -> String {
    if value.isNaN { return "\"NaN\"" }
    if value.isInfinite { return value < 0 ? "\"-Infinity\"" : "\"Infinity\"" }
    if value == 0 { return value.sign == .minus ? "-0.0" : "0.0" }
    // Swift's description gives the shortest digits, as "123.45", "1e-05" or "1.2345e+20".
    let text = "\(value.magnitude)"
    var mantissa = Substring(text)
    var exponent = 0
    if let e = text.firstIndex(of: "e") {
        mantissa = text[..<e]
        exponent = Int(text[text.index(after: e)...]) ?? 0
    }
    var digits = ""
    var pointPosition = 0
    if let dot = mantissa.firstIndex(of: ".") {
        digits = String(mantissa[..<dot]) + String(mantissa[mantissa.index(after: dot)...])
        pointPosition = mantissa.distance(from: mantissa.startIndex, to: dot)
    } else {
        digits = String(mantissa)
        pointPosition = digits.count
    }
    pointPosition += exponent
    while digits.first == "0" && digits.count > 1 {
        digits.removeFirst()
        pointPosition -= 1
    }
    while digits.last == "0" && digits.count > 1 { digits.removeLast() }
    let sign = value < 0 ? "-" : ""
    let magnitude = value.magnitude
    if magnitude >= 1e-3 && magnitude < 1e7 {
        if pointPosition <= 0 {
            return sign + "0." + String(repeating: "0", count: -pointPosition) + digits
        }
        if pointPosition >= digits.count {
            return sign + digits + String(repeating: "0", count: pointPosition - digits.count) + ".0"
        }
        let split = digits.index(digits.startIndex, offsetBy: pointPosition)
        return sign + digits[..<split] + "." + digits[split...]
    }
    let first = digits.prefix(1)
    let rest = digits.dropFirst()
    return sign + first + "." + (rest.isEmpty ? "0" : rest) + "E" + String(pointPosition - 1)
}
