/// transaction_flattened: the raw events with the STRUCTs spread into columns.
final class FlattenedGenerator: EmulatorRowGenerator {
    let dataset: DemoDataset
    var count: Int { dataset.rows }

    init(dataset: DemoDataset) {
        self.dataset = dataset
    }

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

    func renderRow(at offset: Int, withRowtime: Bool, into out: inout [UInt8]) -> Bool {
        let t = dataset.transaction(offset)
        let json = dataset.json
        out.append(atMost: json.maxRowBytes) { row in
            row.transactionColumns(t, json, withRowtime: withRowtime)
            row.write(UInt8(ascii: ","))
            row.field(json.brands[t.cardBrand])
            row.field(json.merchantIds[t.merchant])
            row.field(json.merchantNames[t.merchant])
            row.field(json.categories[t.merchantCategory])
            row.write(json.countries[t.merchantCountry])
            row.write(UInt8(ascii: "]"))
        }
        return true
    }
}
