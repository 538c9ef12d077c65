/// Low-level JSON token writers into a byte array (the render target of every response body; a
/// plain array appends much faster than ByteBuffer's checked writes), byte by byte, with Jackson's conventions (ksqlDB serializes with
/// Jackson): strings keep UTF-8, escape only quotes, backslashes and control characters; doubles
/// follow Java's `Double.toString`.
extension Array where Element == UInt8 {
    @inline(__always) mutating func writeInteger(_ byte: UInt8) { append(byte) }

    @inline(__always) mutating func writeStaticString(_ text: StaticString) {
        text.withUTF8Buffer { append(contentsOf: $0) }
    }

    mutating func writeString(_ text: String) { append(contentsOf: text.utf8) }

    @inline(__always) mutating func writeBytes(_ bytes: UnsafeRawBufferPointer) { append(contentsOf: bytes) }

    @inline(__always) mutating func writeBytes(_ bytes: UnsafeBufferPointer<UInt8>) { append(contentsOf: bytes) }

    mutating func writeBytes(_ bytes: ArraySlice<UInt8>) { append(contentsOf: bytes) }

    mutating func writeJSONString(_ string: String) {
        var string = string
        string.withUTF8 { utf8 in
            writeInteger(UInt8(ascii: "\""))
            var needsEscape = false
            for byte in utf8 where byte < 0x20 || byte == 0x22 || byte == 0x5C {
                needsEscape = true
                break
            }
            if !needsEscape {
                writeBytes(utf8)
            } else {
                for byte in utf8 {
                    switch byte {
                    case 0x22: writeStaticString("\\\"")
                    case 0x5C: writeStaticString("\\\\")
                    case 0x0A: writeStaticString("\\n")
                    case 0x0D: writeStaticString("\\r")
                    case 0x09: writeStaticString("\\t")
                    case 0x08: writeStaticString("\\b")
                    case 0x0C: writeStaticString("\\f")
                    case 0..<0x20:
                        writeStaticString("\\u00")
                        writeInteger(hexDigit(byte >> 4))
                        writeInteger(hexDigit(byte & 0xF))
                    default: writeInteger(byte)
                    }
                }
            }
            writeInteger(UInt8(ascii: "\""))
        }
    }

    mutating func writeDecimalInteger(_ value: Int64) {
        if value >= 0 && value < 10 {
            writeInteger(UInt8(truncatingIfNeeded: value) &+ 0x30)
            return
        }
        var magnitude = value.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { scratch in
            var index = 20
            repeat {
                index -= 1
                scratch[index] = UInt8(truncatingIfNeeded: magnitude % 10) &+ 0x30
                magnitude /= 10
            } while magnitude > 0
            if value < 0 { writeInteger(UInt8(ascii: "-")) }
            writeBytes(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(scratch)[index..<20]))
        }
    }

    /// Plain notation with exactly `scale` fraction digits (Jackson `WRITE_BIGDECIMAL_AS_PLAIN`).
    mutating func writeDecimal(unscaled: Int64, scale: Int) {
        guard scale > 0 else {
            writeDecimalInteger(unscaled)
            return
        }
        let power = UInt64(EmulatorDecimal.powerOfTen(scale))
        let magnitude = unscaled.magnitude
        if unscaled < 0 { writeInteger(UInt8(ascii: "-")) }
        writeDecimalInteger(Int64(magnitude / power))
        writeInteger(UInt8(ascii: "."))
        var fraction = magnitude % power
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: scale) { digits in
            for index in stride(from: scale - 1, through: 0, by: -1) {
                digits[index] = UInt8(truncatingIfNeeded: fraction % 10) &+ 0x30
                fraction /= 10
            }
            writeBytes(UnsafeBufferPointer(digits))
        }
    }

    /// Java's `Double.toString`: plain for 1e-3 ≤ |x| < 1e7 (`3.0`, `37.7877`), otherwise
    /// computerized scientific (`1.0E7`, `1.5E-5`). Non-finite values are written as Jackson's strings.
    mutating func writeJavaDouble(_ value: Double) {
        writeString(javaDoubleString(value))
    }

    private func hexDigit(_ nibble: UInt8) -> UInt8 {
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
