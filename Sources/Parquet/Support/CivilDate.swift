/// Proleptic Gregorian calendar arithmetic on UTC days, for Parquet's DATE (days since 1970-01-01)
/// and TIMESTAMP (time since the epoch) values: no Foundation `Calendar`, so it fits hot loops.
public enum CivilDate {
    /// Days since 1970-01-01 of a date (Howard Hinnant's days_from_civil).
    public static func epochDay(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The (year, month, day) of a day since 1970-01-01 (civil_from_days).
    public static func civil(_ epochDay: Int) -> (year: Int, month: Int, day: Int) {
        let z = epochDay + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// The UTC day of an epoch-millisecond time (rounding towards the past).
    public static func epochDay(ms: Int64) -> Int {
        Int((ms >= 0 ? ms : ms - 86_399_999) / 86_400_000)
    }

    /// `YYYY-MM-DD` of a day since 1970-01-01.
    public static func isoDate(_ epochDay: Int) -> String {
        let c = civil(epochDay)
        return pad(c.year, 4) + "-" + pad(c.month, 2) + "-" + pad(c.day, 2)
    }

    /// `YYYY-MM-DD` → the day since 1970-01-01, or nil when it is not a date of that shape.
    public static func epochDay(isoDate text: String) -> Int? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              (1...12).contains(m), (1...31).contains(d) else { return nil }
        let day = epochDay(year: y, month: m, day: d)
        return civil(day) == (y, m, d) ? day : nil
    }

    /// `n` in decimal, left-padded with zeros to `width`.
    public static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
