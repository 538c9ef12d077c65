import Foundation
import Testing
@testable import KsqlParquet

/// `yyyy-MM-ddTHH:mm:ss.SSS` is read by word loads: each value is held to the general path (and to
/// Foundation's calendar), and any form the fast path must not take ends as the general path says.
struct RowCursorTimestampTests {
    /// The value (or the error's message) and where the cursor stopped.
    private func parse(_ json: String, fast: Bool = true) -> (value: Int64?, error: String?, pos: Int) {
        Array(json.utf8).withUnsafeBytes { p in
            var c = RowCursor(p)
            do throws(RowCursor.Failure) {
                let v = try c.parseTimestamp(fast: fast)
                return (v, nil, c.pos)
            } catch {
                return (nil, error.message, c.pos)
            }
        }
    }

    @Test func randomInstantsAgreeWithTheGeneralPathAndFoundation() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var state: UInt64 = 0xDEAD_BEEF
        for _ in 0..<5000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            // Years 1600 to 9999, leap days and month ends included (Foundation's calendar is Julian
            // before 1582; ksqlDB's, like ours, is proleptic Gregorian).
            let ms = Int64(bitPattern: state >> 1) % 265_078_396_800_000 - 11_676_096_000_000
            let date = Date(timeIntervalSince1970: Double(ms) / 1000)
            let f = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .nanosecond], from: date)
            let fraction = Int(ms.quotientAndRemainder(dividingBy: 1000).remainder + 1000) % 1000
            let text = String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03d", f.year!, f.month!, f.day!, f.hour!, f.minute!, f.second!, fraction)
            let fast = parse("\"\(text)\"")
            let general = parse("\"\(text)\"", fast: false)
            #expect(fast.value == ms, "\(text) \(ms) fast \(String(describing: fast.value)) general \(String(describing: general.value))")
            #expect(general.value == ms, "\(text)")
            #expect(fast.pos == text.utf8.count + 2)
        }
    }

    /// Invalid dates and times, and valid forms the fast path leaves to the general one.
    @Test func otherFormsEndAsTheGeneralPathSays() {
        let cases = [
            "2026-13-01T00:00:00.000", "2026-00-10T00:00:00.000", "2026-04-31T00:00:00.000", "2026-02-29T00:00:00.000",
            "2024-02-29T23:59:59.999", "2026-12-01T24:00:00.000", "2026-12-01T23:60:00.000", "2026-12-01T23:59:60.000",
            "2026-12-01T00:00:00.1645", "2026-12-01T00:00:00.16", "2026-12-01T00:00:00.164Z", "2026-12-01T00:00:00",
            "2026-12-01T0a:00:00.000", "2026-12-01T00:00:00:000", "+2026-12-01T00:00:00.000", "12026-12-01T00:00:00.000",
            "2026-12-01T00:00:00.16\u{7F}", "2026/12/01T00:00:00.000", "2026-12-01t00:00:00.000",
        ]
        for text in cases {
            let fast = parse("\"\(text)\"")
            let general = parse("\"\(text)\"", fast: false)
            #expect(fast.value == general.value && fast.error == general.error, "\(text)")
            if fast.error == nil { #expect(fast.pos == general.pos, "\(text)") }
        }
        #expect(parse("\"2024-02-29T23:59:59.999\"").value == 1_709_251_199_999)
        #expect(parse("\"2026-12-01T00:00:00.164\"").value == 1_796_083_200_164)
    }
}
