/// UTC civil-date arithmetic (Howard Hinnant's days-from-civil) for rendering and parsing
/// ksqlDB's DATE, TIME and TIMESTAMP texts without Foundation.
package enum EmulatorCalendar {
    package static let millisPerDay: Int64 = 86_400_000

    package static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    package static func civil(days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Upper bounds on what the writers below write: a padded field is at most its padding or a
    /// sign and all the digits of an Int64.
    private static func maxPaddedBytes(width: Int) -> Int { width - 1 + ByteCursor.maxIntegerBytes }
    static var maxDateBytes: Int { maxPaddedBytes(width: 4) + 6 }
    static var maxTimeBytes: Int { 3 * maxPaddedBytes(width: 2) + 2 }
    static var maxTimestampBytes: Int { maxDateBytes + 13 }

    static func writeDate(days: Int64, into cursor: inout ByteCursor) {
        let (year, month, day) = civil(days: days)
        if year >= 0 && year < 10_000 {
            cursor.writeFixedDigits(year, width: 4)
        } else {
            writePadded(year, width: 4, into: &cursor)
        }
        cursor.write(UInt8(ascii: "-"))
        // civil(days:) always gives a month in 1...12 and a day in 1...31.
        cursor.writeFixedDigits(month, width: 2)
        cursor.write(UInt8(ascii: "-"))
        cursor.writeFixedDigits(day, width: 2)
    }

    /// `LocalTime.toString` of whole seconds: `HH:mm`, or `HH:mm:ss` when seconds are not zero.
    static func writeTime(millisOfDay: Int64, into cursor: inout ByteCursor) {
        let seconds = millisOfDay / 1000
        writePadded(seconds / 3600, width: 2, into: &cursor)
        cursor.write(UInt8(ascii: ":"))
        writePadded(seconds / 60 % 60, width: 2, into: &cursor)
        if seconds % 60 != 0 {
            cursor.write(UInt8(ascii: ":"))
            writePadded(seconds % 60, width: 2, into: &cursor)
        }
    }

    /// `yyyy-MM-dd'T'HH:mm:ss.SSS`, UTC, no zone suffix.
    static func writeTimestamp(_ millis: Int64, into cursor: inout ByteCursor) {
        let days = floorDivide(millis, millisPerDay)
        let inDay = millis - days * millisPerDay
        writeDate(days: days, into: &cursor)
        // 0 <= inDay < millisPerDay, so every field fits its width.
        cursor.write(UInt8(ascii: "T"))
        cursor.writeFixedDigits(inDay / 3_600_000, width: 2)
        cursor.write(UInt8(ascii: ":"))
        cursor.writeFixedDigits(inDay / 60_000 % 60, width: 2)
        cursor.write(UInt8(ascii: ":"))
        cursor.writeFixedDigits(inDay / 1000 % 60, width: 2)
        cursor.write(UInt8(ascii: "."))
        cursor.writeFixedDigits(inDay % 1000, width: 3)
    }

    package static func timestampString(_ millis: Int64) -> String {
        var buffer: [UInt8] = []
        buffer.append(atMost: maxTimestampBytes) { writeTimestamp(millis, into: &$0) }
        return String(decoding: buffer, as: UTF8.self)
    }

    static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    private static func writePadded(_ value: Int64, width: Int, into cursor: inout ByteCursor) {
        var digits = 1
        var limit: Int64 = 10
        while value >= limit && digits < 19 { digits += 1; limit *= 10 }
        for _ in digits..<max(digits, width) { cursor.write(UInt8(ascii: "0")) }
        cursor.writeDecimalInteger(value)
    }

    /// Parses `yyyy-MM-dd`, `yyyy-MM-ddTHH:mm[:ss[.SSS]]` (UTC unless a `Z` or `±HH[:mm]` suffix says otherwise) to epoch ms,
    /// the forms ksqlDB accepts when comparing ROWTIME or a TIMESTAMP with a string.
    package static func parseTimestamp(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        var position = 0
        func number(_ count: Int) -> Int64? {
            guard position + count <= bytes.count else { return nil }
            var value: Int64 = 0
            for byte in bytes[position..<(position + count)] {
                guard byte >= 0x30 && byte <= 0x39 else { return nil }
                value = value * 10 + Int64(byte - 0x30)
            }
            position += count
            return value
        }
        func take(_ byte: UInt8) -> Bool {
            guard position < bytes.count, bytes[position] == byte else { return false }
            position += 1
            return true
        }
        guard let year = number(4), take(0x2D), let month = number(2), take(0x2D), let day = number(2),
              (1...12).contains(month), (1...31).contains(day) else { return nil }
        var millis = days(year: year, month: month, day: day) * millisPerDay
        if take(UInt8(ascii: "T")) || take(0x20) {
            guard let hour = number(2), take(0x3A), let minute = number(2), hour < 24, minute < 60 else { return nil }
            millis += hour * 3_600_000 + minute * 60_000
            if take(0x3A) {
                guard let second = number(2), second < 60 else { return nil }
                millis += second * 1000
                if take(0x2E) {
                    let start = position
                    var fraction: Int64 = 0
                    var digits = 0
                    while position < bytes.count, bytes[position] >= 0x30, bytes[position] <= 0x39 {
                        if digits < 3 { fraction = fraction * 10 + Int64(bytes[position] - 0x30); digits += 1 }
                        position += 1
                    }
                    guard position > start else { return nil }
                    while digits < 3 { fraction *= 10; digits += 1 }
                    millis += fraction
                }
            }
        }
        if take(UInt8(ascii: "Z")) { return position == bytes.count ? millis : nil }
        // A zone offset: +HH, +HHmm or +HH:mm (also -), as ksqlDB accepts in timestamp strings.
        if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
            let sign: Int64 = bytes[position] == UInt8(ascii: "-") ? -1 : 1
            position += 1
            guard let hours = number(2), hours < 24 else { return nil }
            _ = take(0x3A)
            let minutes = position < bytes.count ? number(2) : 0
            guard let minutes, minutes < 60 else { return nil }
            millis -= sign * (hours * 3_600_000 + minutes * 60_000)
        }
        return position == bytes.count ? millis : nil
    }

    /// Parses `yyyy-MM-dd` to epoch days.
    package static func parseDate(_ text: String) -> Int64? {
        guard text.utf8.count == 10, let millis = parseTimestamp(text) else { return nil }
        return millis / millisPerDay
    }

    /// Parses `HH:mm[:ss[.SSS]]` to milliseconds of the day.
    package static func parseTime(_ text: String) -> Int64? {
        guard let millis = parseTimestamp("1970-01-01T" + text) else { return nil }
        return millis
    }
}
