/// transaction_stream_anonymized: hashed users, amounts converted to EUR.
final class AnonymizedGenerator: EmulatorRowGenerator {
    let dataset: DemoDataset
    var count: Int { dataset.rows }

    init(dataset: DemoDataset) {
        self.dataset = dataset
    }

    func row(at offset: Int) -> EmulatorRow {
        let t = dataset.transaction(offset)
        let eur = t.amountEURCents
        return EmulatorRow(rowtime: t.time, values: [
            .string(t.transactionId), .string(t.userHash), .decimal(unscaled: t.isRefund ? -eur : eur, scale: 2),
            .string(DemoTransaction.paymentMethods[t.paymentMethod]), .string(DemoTransaction.cities[t.city]),
            t.productId.map { .string($0) } ?? .null, .int(t.time),
        ])
    }
}

extension AnonymizedGenerator {
    func rowtime(at offset: Int) -> Int64 { dataset.time(offset) }

    func renderRow(at offset: Int, withRowtime: Bool, into out: inout [UInt8]) -> Bool {
        let t = dataset.transaction(offset)
        let json = dataset.json
        let eur = t.amountEURCents
        out.append(atMost: json.maxRowBytes) { row in
            row.rowStart(t, withRowtime: withRowtime)
            row.quotedTransactionId(t)
            row.field(json.userHashes[t.user])
            row.writeDecimal(unscaled: t.isRefund ? -eur : eur, scale: 2)
            row.write(UInt8(ascii: ","))
            row.field(json.paymentMethods[t.paymentMethod])
            row.field(json.cities[t.city])
            row.product(t, json)
            row.quotedTimestamp(t.time)
            row.write(UInt8(ascii: "]"))
        }
        return true
    }
}
