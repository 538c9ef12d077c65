/// transaction_stream_anonymized: hashed users, amounts converted to EUR.
struct AnonymizedGenerator: EmulatorRowGenerator {
    let dataset: DemoDataset
    var count: Int { dataset.rows }

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
