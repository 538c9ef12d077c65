/// Renders PLAIN-encoded statistics values for people: dates, times and timestamps in ISO form,
/// decimals scaled, strings as text, other binary as hex.
public enum StatisticsFormatter {
    public static func format(_ bytes: [UInt8], element: SchemaElement) -> String {
        func le(_ n: Int) -> UInt64 {
            var v: UInt64 = 0
            for i in 0..<min(n, bytes.count) { v |= UInt64(bytes[i]) << (8 * UInt64(i)) }
            return v
        }
        switch element.type {
        case .boolean: return bytes.first == 1 ? "true" : "false"
        case .int32:
            let v = Int64(Int32(bitPattern: UInt32(truncatingIfNeeded: le(4))))
            switch element.logicalType {
            case .date: return formatDate(days: v)
            case .timeMillis: return formatTime(ms: v)
            case let .decimal(_, s): return formatDecimal(Int128(v), scale: s)
            default: return String(v)
            }
        case .int64:
            let v = Int64(bitPattern: le(8))
            switch element.logicalType {
            case .timestampMillis:
                let days = v >= 0 ? v / 86_400_000 : (v - 86_399_999) / 86_400_000
                return formatDate(days: days) + "T" + formatTime(ms: v - days * 86_400_000)
            case .timestampMicros:
                let ms = v >= 0 ? v / 1000 : (v - 999) / 1000
                let days = ms >= 0 ? ms / 86_400_000 : (ms - 86_399_999) / 86_400_000
                return formatDate(days: days) + "T" + formatTime(ms: ms - days * 86_400_000) + pad(v - ms * 1000, 3)
            case let .decimal(_, s): return formatDecimal(Int128(v), scale: s)
            default: return String(v)
            }
        case .float: return String(Float(bitPattern: UInt32(truncatingIfNeeded: le(4))))
        case .double: return String(Double(bitPattern: le(8)))
        case .fixedLenByteArray, .byteArray:
            // Decimals in byte arrays are big-endian two's complement, fixed or variable length.
            if case let .decimal(_, s) = element.logicalType, !bytes.isEmpty, bytes.count <= 16 {
                var v: Int128 = (bytes[0] & 0x80) != 0 ? -1 : 0
                for b in bytes { v = v << 8 | Int128(b) }
                return formatDecimal(v, scale: s)
            }
            if element.logicalType == .string || element.convertedType == .utf8 { return String(decoding: bytes, as: UTF8.self) }
            return "0x" + bytes.map { b in let h = String(b, radix: 16); return h.count == 1 ? "0" + h : h }.joined()
        default:
            return "0x" + bytes.map { String($0, radix: 16) }.joined()
        }
    }

    static func formatDate(days: Int64) -> String { CivilDate.isoDate(Int(days)) }

    static func formatTime(ms: Int64) -> String {
        let h = ms / 3_600_000, m = ms / 60_000 % 60, s = ms / 1000 % 60, f = ms % 1000
        return pad(h, 2) + ":" + pad(m, 2) + ":" + pad(s, 2) + "." + pad(f, 3)
    }

    static func formatDecimal(_ v: Int128, scale: Int) -> String {
        let negative = v < 0
        var digits = String(negative ? -v : v)
        if scale > 0 {
            if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
        }
        return (negative ? "-" : "") + digits
    }

    private static func pad(_ v: Int64, _ n: Int) -> String {
        let s = String(abs(v))
        return (v < 0 ? "-" : "") + String(repeating: "0", count: max(0, n - s.count)) + s
    }
}
