/// Pre-quoted JSON forms of the demo's repeated strings, so generated rows render with a few copies.
enum DemoJSON {
    static func quoted(_ strings: [String]) -> [[UInt8]] {
        strings.map { string in
            var bytes: [UInt8] = []
            bytes.writeJSONString(string)
            return bytes
        }
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

extension Array where Element == UInt8 {
    fileprivate mutating func field(_ bytes: [UInt8]) {
        append(contentsOf: bytes)
        append(UInt8(ascii: ","))
    }

    /// `[` and the columns every transaction stream starts with (`DemoDataset.transactionColumns`).
    fileprivate mutating func transactionColumns(_ t: DemoTransaction) {
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

    fileprivate mutating func quotedTransactionId(_ t: DemoTransaction) {
        append(UInt8(ascii: "\""))
        writeString(t.transactionId)
        writeStaticString("\",")
    }

    fileprivate mutating func quotedTimestamp(_ millis: Int64) {
        append(UInt8(ascii: "\""))
        EmulatorCalendar.writeTimestamp(millis, into: &self)
        append(UInt8(ascii: "\""))
    }

    fileprivate mutating func product(_ t: DemoTransaction) {
        if let product = t.product { append(contentsOf: DemoJSON.productIds[product]) } else { writeStaticString("null") }
        append(UInt8(ascii: ","))
    }
}

extension RawGenerator {
    func rowtime(at offset: Int) -> Int64 { dataset.time(offset) }

    func renderRow(at offset: Int, into out: inout [UInt8]) -> Bool {
        let t = dataset.transaction(offset)
        out.transactionColumns(t)
        out.writeStaticString(t.isRefund ? ",true,{\"NUMBER\":" : ",false,{\"NUMBER\":")
        out.append(contentsOf: DemoJSON.cardNumbers[t.card])
        out.writeStaticString(",\"BRAND\":")
        out.append(contentsOf: DemoJSON.brands[t.cardBrand])
        out.writeStaticString(",\"EXPIRY\":")
        out.append(contentsOf: DemoJSON.expiries[t.expiry])
        out.writeStaticString("},{\"ID\":")
        out.append(contentsOf: DemoJSON.merchantIds[t.merchant])
        out.writeStaticString(",\"NAME\":")
        out.append(contentsOf: DemoJSON.merchantNames[t.merchant])
        out.writeStaticString(",\"CATEGORY\":")
        out.append(contentsOf: DemoJSON.categories[t.merchantCategory])
        out.writeStaticString(",\"LOCATION\":{\"CITY\":")
        out.append(contentsOf: DemoJSON.cities[t.city])
        out.writeStaticString(",\"COUNTRY\":")
        out.append(contentsOf: DemoJSON.countries[t.merchantCountry])
        out.writeStaticString("}},[")
        let highValue = t.amountCents > 50_000
        if highValue { out.writeStaticString("\"high_value\"") }
        if t.isRefund { out.writeStaticString(highValue ? ",\"refund\"" : "\"refund\"") }
        out.writeStaticString("],{\"channel\":")
        out.append(contentsOf: DemoJSON.channels[t.channel])
        out.writeStaticString("}]")
        return true
    }
}

extension FlattenedGenerator {
    func rowtime(at offset: Int) -> Int64 { dataset.time(offset) }

    func renderRow(at offset: Int, into out: inout [UInt8]) -> Bool {
        let t = dataset.transaction(offset)
        out.transactionColumns(t)
        out.append(UInt8(ascii: ","))
        out.field(DemoJSON.brands[t.cardBrand])
        out.field(DemoJSON.merchantIds[t.merchant])
        out.field(DemoJSON.merchantNames[t.merchant])
        out.field(DemoJSON.categories[t.merchantCategory])
        out.append(contentsOf: DemoJSON.countries[t.merchantCountry])
        out.append(UInt8(ascii: "]"))
        return true
    }
}

extension AnonymizedGenerator {
    func rowtime(at offset: Int) -> Int64 { dataset.time(offset) }

    func renderRow(at offset: Int, into out: inout [UInt8]) -> Bool {
        let t = dataset.transaction(offset)
        let eur = t.amountEURCents
        out.append(UInt8(ascii: "["))
        out.quotedTransactionId(t)
        out.field(DemoJSON.userHashes[t.user])
        out.writeDecimal(unscaled: t.isRefund ? -eur : eur, scale: 2)
        out.append(UInt8(ascii: ","))
        out.field(DemoJSON.paymentMethods[t.paymentMethod])
        out.field(DemoJSON.cities[t.city])
        out.product(t)
        out.quotedTimestamp(t.time)
        out.append(UInt8(ascii: "]"))
        return true
    }
}

extension SubsetGenerator {
    func rowtime(at offset: Int) -> Int64 { base.rowtime(at: Int(indexes[offset])) }

    func renderRow(at offset: Int, into out: inout [UInt8]) -> Bool {
        base.renderRow(at: Int(indexes[offset]), into: &out)
    }
}
