import Foundation

/// The time source of plan and apply; tests inject a fixed one.
package struct Clock: Sendable {
    package var now: @Sendable () -> Date

    package init(now: @escaping @Sendable () -> Date = { Date() }) { self.now = now }

    package static let system = Clock()

    /// `2025-01-15T14:30:00Z`
    package func timestamp() -> String { Self.iso8601(now()) }

    /// `20250115_143000`, the seed's file stamp.
    package func fileStamp() -> String { Self.fileStamp(now()) }

    package static func iso8601(_ date: Date) -> String {
        let c = utc(date)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }

    /// `2025-01-15T14:30:00.123Z` for an epoch-millisecond time.
    package static func iso8601Millis(_ ms: Int64) -> String {
        let date = Date(timeIntervalSince1970: Double(ms) / 1000)
        let c = utc(date)
        let millis = Int(((ms % 1000) + 1000) % 1000)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!, millis)
    }

    package static func fileStamp(_ date: Date) -> String {
        let c = utc(date)
        return String(format: "%04d%02d%02d_%02d%02d%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }

    static func utc(_ date: Date) -> DateComponents {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
    }
}
