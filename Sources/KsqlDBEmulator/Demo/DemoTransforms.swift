/// The demo's CSAS queries applied to rows inserted into TRANSACTION_STREAM, so the derived streams
/// (and the tables over them) follow inserts as ksqlDB's persistent queries would.
enum DemoTransforms {
    static func field(_ value: EmulatorValue, _ path: Int...) -> EmulatorValue {
        var current = value
        for index in path {
            guard case .structure(let fields) = current, index < fields.count else { return .null }
            current = fields[index]
        }
        return current
    }

    /// SELECT the transaction columns, CARD->BRAND, MERCHANT->ID, ->NAME, ->CATEGORY, ->LOCATION->COUNTRY.
    static func flatten(_ row: EmulatorRow) -> EmulatorRow? {
        let v = row.values
        return EmulatorRow(rowtime: row.rowtime, values: Array(v[0...7]) + [
            field(v[9], 1), field(v[10], 0), field(v[10], 1), field(v[10], 2), field(v[10], 3, 1),
        ])
    }

    /// HASH_USER(USER_ID), TO_EUR(AMOUNT, CURRENCY): unknown currencies give a null amount.
    static func anonymize(_ row: EmulatorRow) -> EmulatorRow? {
        let v = row.values
        var user = EmulatorValue.null
        if case .string(let id) = v[1] { user = .string(DemoTransaction.hash(id)) }
        var eur = EmulatorValue.null
        if case .decimal(let unscaled, let scale) = v[2], case .string(let code) = v[3],
           let currency = DemoTransaction.currencies.firstIndex(of: code) {
            let cents = EmulatorDecimal.rescale(unscaled: unscaled, from: Int(scale), to: 2).0
            eur = .decimal(unscaled: DemoTransaction.eurCents(cents, currency: currency), scale: 2)
        }
        return EmulatorRow(rowtime: row.rowtime, values: [v[0], user, eur, v[4], v[5], v[6], v[7]])
    }

    /// WHERE CITY IN (the blacklist).
    static func blacklisted(_ row: EmulatorRow) -> EmulatorRow? {
        guard case .string(let city) = row.values[5], DemoTransaction.blacklistedCities.contains(city) else { return nil }
        return row
    }
}
