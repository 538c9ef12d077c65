/// transaction_stream: the raw events.
final class RawGenerator: EmulatorRowGenerator {
    let dataset: DemoDataset
    var count: Int { dataset.rows }

    init(dataset: DemoDataset) {
        self.dataset = dataset
    }

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

    func renderRow(at offset: Int, withRowtime: Bool, into out: inout [UInt8]) -> Bool {
        let t = dataset.transaction(offset)
        let json = dataset.json
        out.append(atMost: json.maxRowBytes) { row in
            row.transactionColumns(t, json, withRowtime: withRowtime)
            row.write(t.isRefund ? ",true,{\"NUMBER\":" : ",false,{\"NUMBER\":")
            row.write(json.cardNumbers[t.card])
            row.write(",\"BRAND\":")
            row.write(json.brands[t.cardBrand])
            row.write(",\"EXPIRY\":")
            row.write(json.expiries[t.expiry])
            row.write("},{\"ID\":")
            row.write(json.merchantIds[t.merchant])
            row.write(",\"NAME\":")
            row.write(json.merchantNames[t.merchant])
            row.write(",\"CATEGORY\":")
            row.write(json.categories[t.merchantCategory])
            row.write(",\"LOCATION\":{\"CITY\":")
            row.write(json.cities[t.city])
            row.write(",\"COUNTRY\":")
            row.write(json.countries[t.merchantCountry])
            row.write("}},[")
            let highValue = t.amountCents > 50_000
            if highValue { row.write("\"high_value\"") }
            if t.isRefund { row.write(highValue ? ",\"refund\"" : "\"refund\"") }
            row.write("],{\"channel\":")
            row.write(json.channels[t.channel])
            row.write("}]")
        }
        return true
    }
}
