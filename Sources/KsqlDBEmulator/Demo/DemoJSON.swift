/// Pre-quoted JSON forms of the demo's repeated strings, so generated rows render with a few copies.
/// Rows reach them through the dataset's reference to the shared instance: a static table costs a
/// `swift_once` call at every use, a dozen per row.
final class DemoJSON: Sendable {
    static let shared = DemoJSON()

    let userIds = DemoQuotedStrings(DemoTransaction.userIds)
    let userHashes = DemoQuotedStrings(DemoTransaction.userHashes)
    let productIds = DemoQuotedStrings(DemoTransaction.productIds)
    let cardNumbers = DemoQuotedStrings(DemoTransaction.cardNumbers)
    let expiries = DemoQuotedStrings(DemoTransaction.expiries)
    let merchantIds = DemoQuotedStrings(DemoTransaction.merchantIds)
    let merchantNames = DemoQuotedStrings(DemoTransaction.merchantNames)
    let currencies = DemoQuotedStrings(DemoTransaction.currencies)
    let paymentMethods = DemoQuotedStrings(DemoTransaction.paymentMethods)
    let cities = DemoQuotedStrings(DemoTransaction.cities)
    let brands = DemoQuotedStrings(DemoTransaction.brands)
    let categories = DemoQuotedStrings(DemoTransaction.categories)
    let countries = DemoQuotedStrings(DemoTransaction.countries)
    let channels = DemoQuotedStrings(DemoTransaction.channels)

    /// An upper bound on a rendered demo row: at most 20 values (ROWTIME, columns, STRUCT fields),
    /// none wider than the longest table string or a quoted timestamp, and under 256 bytes of fixed
    /// text (punctuation, STRUCT field names, tags).
    let maxRowBytes: Int

    private init() {
        maxRowBytes = 256 + 20 * max(EmulatorCalendar.maxTimestampBytes + 2, [
            userIds, userHashes, productIds, cardNumbers, expiries, merchantIds, merchantNames, currencies, paymentMethods,
            cities, brands, categories, countries, channels,
        ].map(\.maxCount).max()!)
    }
}

/// Writers for the demo generators' fast renderers.
extension ByteCursor {
    mutating func field(_ bytes: UnsafeBufferPointer<UInt8>) {
        write(bytes)
        write(UInt8(ascii: ","))
    }

    /// `[`, then ROWTIME and `,` when the query selects it first (a generated row's ROWTIME is its time).
    mutating func rowStart(_ t: DemoTransaction, withRowtime: Bool) {
        write(UInt8(ascii: "["))
        if withRowtime {
            writeDecimalInteger(t.time)
            write(UInt8(ascii: ","))
        }
    }

    /// The row's start and the columns every transaction stream starts with (`DemoDataset.transactionColumns`).
    mutating func transactionColumns(_ t: DemoTransaction, _ json: DemoJSON, withRowtime: Bool) {
        rowStart(t, withRowtime: withRowtime)
        quotedTransactionId(t)
        field(json.userIds[t.user])
        writeDecimal(unscaled: t.isRefund ? -t.amountCents : t.amountCents, scale: 2)
        write(UInt8(ascii: ","))
        field(json.currencies[t.currency])
        field(json.paymentMethods[t.paymentMethod])
        field(json.cities[t.city])
        product(t, json)
        quotedTimestamp(t.time)
    }

    /// `"tx-000000001",` written in place (the same text as `DemoTransaction.transactionId`).
    mutating func quotedTransactionId(_ t: DemoTransaction) {
        write("\"tx-")
        writeFixedDigits(Int64((t.index + 1) % 1_000_000_000), width: 9)
        write("\",")
    }

    mutating func quotedTimestamp(_ millis: Int64) {
        write(UInt8(ascii: "\""))
        EmulatorCalendar.writeTimestamp(millis, into: &self)
        write(UInt8(ascii: "\""))
    }

    mutating func product(_ t: DemoTransaction, _ json: DemoJSON) {
        if let product = t.product { write(json.productIds[product]) } else { write("null") }
        write(UInt8(ascii: ","))
    }
}
