/// transaction_stream: the raw events.
struct RawGenerator: EmulatorRowGenerator {
    let dataset: DemoDataset
    var count: Int { dataset.rows }

    func row(at offset: Int) -> EmulatorRow {
        let t = dataset.transaction(offset)
        var tags: [EmulatorValue] = []
        if t.amountCents > 50_000 { tags.append(.string("high_value")) }
        if t.isRefund { tags.append(.string("refund")) }
        return EmulatorRow(rowtime: t.time, values: [
            .string(t.transactionId),
            .string(t.userId),
            .decimal(unscaled: t.isRefund ? -t.amountCents : t.amountCents, scale: 2),
            .string(DemoTransaction.currencies[t.currency]),
            .string(DemoTransaction.paymentMethods[t.paymentMethod]),
            .string(DemoTransaction.cities[t.city]),
            t.productId.map { .string($0) } ?? .null,
            .int(t.time),
            .boolean(t.isRefund),
            .structure([.string(t.cardNumber), .string(DemoTransaction.brands[t.cardBrand]), .string(t.cardExpiry)]),
            .structure([.string(t.merchantId), .string(t.merchantName), .string(DemoTransaction.categories[t.merchantCategory]),
                        .structure([.string(DemoTransaction.cities[t.city]), .string(DemoTransaction.countries[t.merchantCountry])])]),
            .array(tags),
            .map([EmulatorMapEntry("channel", .string(DemoTransaction.channels[t.channel]))]),
        ])
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
