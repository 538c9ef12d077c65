/// Pre-quoted JSON forms of the demo's repeated strings, so generated rows render with a few copies.
enum DemoJSON {
    static func quoted(_ strings: [String]) -> DemoQuotedStrings {
        DemoQuotedStrings(strings)
    }

    static let userIds = quoted(DemoTransaction.userIds)
    static let userHashes = quoted(DemoTransaction.userHashes)
    static let productIds = quoted(DemoTransaction.productIds)
    static let cardNumbers = quoted(DemoTransaction.cardNumbers)
    static let expiries = quoted(DemoTransaction.expiries)
    static let merchantIds = quoted(DemoTransaction.merchantIds)
    static let merchantNames = quoted(DemoTransaction.merchantNames)
    static let currencies = quoted(DemoTransaction.currencies)
    static let paymentMethods = quoted(DemoTransaction.paymentMethods)
    static let cities = quoted(DemoTransaction.cities)
    static let brands = quoted(DemoTransaction.brands)
    static let categories = quoted(DemoTransaction.categories)
    static let countries = quoted(DemoTransaction.countries)
    static let channels = quoted(DemoTransaction.channels)
}

/// Writers for the demo generators' fast renderers.
extension Array where Element == UInt8 {
    mutating func field(_ bytes: UnsafeBufferPointer<UInt8>) {
        append(contentsOf: bytes)
        append(UInt8(ascii: ","))
    }

    /// `[` and the columns every transaction stream starts with (`DemoDataset.transactionColumns`).
    mutating func transactionColumns(_ t: DemoTransaction) {
        append(UInt8(ascii: "["))
        quotedTransactionId(t)
        field(DemoJSON.userIds[t.user])
        writeDecimal(unscaled: t.isRefund ? -t.amountCents : t.amountCents, scale: 2)
        append(UInt8(ascii: ","))
        field(DemoJSON.currencies[t.currency])
        field(DemoJSON.paymentMethods[t.paymentMethod])
        field(DemoJSON.cities[t.city])
        product(t)
        quotedTimestamp(t.time)
    }

    /// `"tx-000000001",` written in place (the same text as `DemoTransaction.transactionId`).
    mutating func quotedTransactionId(_ t: DemoTransaction) {
        writeStaticString("\"tx-")
        let value = t.index + 1
        var divisor = 100_000_000
        while divisor > 0 {
            append(UInt8(truncatingIfNeeded: value / divisor % 10) &+ 0x30)
            divisor /= 10
        }
        writeStaticString("\",")
    }

    mutating func quotedTimestamp(_ millis: Int64) {
        append(UInt8(ascii: "\""))
        EmulatorCalendar.writeTimestamp(millis, into: &self)
        append(UInt8(ascii: "\""))
    }

    mutating func product(_ t: DemoTransaction) {
        if let product = t.product { append(contentsOf: DemoJSON.productIds[product]) } else { writeStaticString("null") }
        append(UInt8(ascii: ","))
    }
}
