/// transaction_flattened: the raw events with the STRUCTs spread into columns.
struct FlattenedGenerator: EmulatorRowGenerator {
    let dataset: DemoDataset
    var count: Int { dataset.rows }

    func row(at offset: Int) -> EmulatorRow {
        let t = dataset.transaction(offset)
        return EmulatorRow(rowtime: t.time, values: [
            .string(t.transactionId), .string(t.userId),
            .decimal(unscaled: t.isRefund ? -t.amountCents : t.amountCents, scale: 2),
            .string(DemoTransaction.currencies[t.currency]), .string(DemoTransaction.paymentMethods[t.paymentMethod]),
            .string(DemoTransaction.cities[t.city]), t.productId.map { .string($0) } ?? .null, .int(t.time),
            .string(DemoTransaction.brands[t.cardBrand]), .string(t.merchantId), .string(t.merchantName),
            .string(DemoTransaction.categories[t.merchantCategory]), .string(DemoTransaction.countries[t.merchantCountry]),
        ])
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
