/// The demo's 4 tables: GROUP BY aggregates recomputed from their stream whenever they are read.
enum DemoTables {
    static func install(into store: EmulatorStore) {
        store.addDerivedTable(EmulatorSourceSchema(
            name: "USER_TRANSACTION_SUMMARY", kind: .table,
            columns: [EmulatorColumn("USER_ID", .string, isKey: true), EmulatorColumn("TRANSACTION_COUNT", .bigint),
                      EmulatorColumn("TOTAL_AMOUNT", .decimal(precision: 16, scale: 2)), EmulatorColumn("AVG_AMOUNT", .double),
                      EmulatorColumn("LAST_TRANSACTION_TIME", .timestamp)],
            topic: "USER_TRANSACTION_SUMMARY", partitions: 3,
            statement: "CREATE TABLE USER_TRANSACTION_SUMMARY WITH (KAFKA_TOPIC='USER_TRANSACTION_SUMMARY', PARTITIONS=3) AS SELECT USER_ID, COUNT(*) AS TRANSACTION_COUNT, SUM(AMOUNT) AS TOTAL_AMOUNT, AVG(AMOUNT) AS AVG_AMOUNT, MAX(TRANSACTION_TIME) AS LAST_TRANSACTION_TIME FROM TRANSACTION_STREAM GROUP BY USER_ID EMIT CHANGES;"),
            from: "TRANSACTION_STREAM") { snapshot in
                aggregate(snapshot, key: 1, amount: 2, time: 7, average: true, lastTime: true)
            }
        store.addDerivedTable(EmulatorSourceSchema(
            name: "USER_TRANSACTION_SUMMARY_EUR", kind: .table,
            columns: [EmulatorColumn("USER_HASH", .string, isKey: true), EmulatorColumn("TRANSACTION_COUNT", .bigint),
                      EmulatorColumn("TOTAL_AMOUNT_EUR", .decimal(precision: 16, scale: 2))],
            topic: "USER_TRANSACTION_SUMMARY_EUR", partitions: 3,
            statement: "CREATE TABLE USER_TRANSACTION_SUMMARY_EUR WITH (KAFKA_TOPIC='USER_TRANSACTION_SUMMARY_EUR', PARTITIONS=3) AS SELECT USER_HASH, COUNT(*) AS TRANSACTION_COUNT, SUM(AMOUNT_EUR) AS TOTAL_AMOUNT_EUR FROM TRANSACTION_STREAM_ANONYMIZED GROUP BY USER_HASH EMIT CHANGES;"),
            from: "TRANSACTION_STREAM_ANONYMIZED") { snapshot in
                aggregate(snapshot, key: 1, amount: 2, time: 6, average: false, lastTime: false)
            }
        store.addDerivedTable(EmulatorSourceSchema(
            name: "PAYMENT_METHOD_TOTALS", kind: .table,
            columns: [EmulatorColumn("PAYMENT_METHOD", .string, isKey: true), EmulatorColumn("TRANSACTION_COUNT", .bigint),
                      EmulatorColumn("TOTAL_AMOUNT", .decimal(precision: 16, scale: 2))],
            topic: "PAYMENT_METHOD_TOTALS", partitions: 3,
            statement: "CREATE TABLE PAYMENT_METHOD_TOTALS WITH (KAFKA_TOPIC='PAYMENT_METHOD_TOTALS', PARTITIONS=3) AS SELECT PAYMENT_METHOD, COUNT(*) AS TRANSACTION_COUNT, SUM(AMOUNT) AS TOTAL_AMOUNT FROM TRANSACTION_STREAM GROUP BY PAYMENT_METHOD EMIT CHANGES;"),
            from: "TRANSACTION_STREAM") { snapshot in
                aggregate(snapshot, key: 4, amount: 2, time: 7, average: false, lastTime: false)
            }
        store.addDerivedTable(EmulatorSourceSchema(
            name: "PRODUCT_PURCHASE_COUNTS", kind: .table,
            columns: [EmulatorColumn("PRODUCT_ID", .string, isKey: true), EmulatorColumn("PURCHASE_COUNT", .bigint)],
            topic: "PRODUCT_PURCHASE_COUNTS", partitions: 3,
            statement: "CREATE TABLE PRODUCT_PURCHASE_COUNTS WITH (KAFKA_TOPIC='PRODUCT_PURCHASE_COUNTS', PARTITIONS=3) AS SELECT PRODUCT_ID, COUNT(*) AS PURCHASE_COUNT FROM TRANSACTION_FLATTENED GROUP BY PRODUCT_ID EMIT CHANGES;"),
            from: "TRANSACTION_FLATTENED") { snapshot in
                aggregate(snapshot, key: 6, amount: nil, time: 7, average: false, lastTime: false)
            }
    }

    private struct Group {
        var count: Int64 = 0
        var sum: Int64 = 0
        var sumScale: Int = 2
        var lastTime: Int64 = .min
        var rowtime: Int64 = .min
    }

    /// COUNT(*), SUM(amount), optional AVG and MAX(time) per key; null keys are dropped as GROUP BY
    /// does. A table row's ROWTIME is the latest contributing event's. Rows come out in key order.
    static func aggregate(_ snapshot: EmulatorStreamSnapshot, key: Int, amount: Int?, time: Int,
                          average: Bool, lastTime: Bool) -> [EmulatorRow] {
        var groups: [String: Group] = [:]
        for offset in 0..<snapshot.count {
            let row = snapshot[offset]
            guard case .string(let name) = row.values[key] else { continue }
            var group = groups[name] ?? Group()
            group.count += 1
            if let amount, case .decimal(let unscaled, let scale) = row.values[amount] {
                group.sum += EmulatorDecimal.rescale(unscaled: unscaled, from: Int(scale), to: 2).0
            }
            if case .int(let millis) = row.values[time] { group.lastTime = max(group.lastTime, millis) }
            group.rowtime = max(group.rowtime, row.rowtime)
            groups[name] = group
        }
        return groups.keys.sorted().map { name in
            let group = groups[name]!
            var values: [EmulatorValue] = [.string(name), .int(group.count)]
            if amount != nil { values.append(.decimal(unscaled: group.sum, scale: 2)) }
            if average { values.append(.double(Double(group.sum) / 100 / Double(group.count))) }
            if lastTime { values.append(group.lastTime == .min ? .null : .int(group.lastTime)) }
            return EmulatorRow(rowtime: group.rowtime, values: values)
        }
    }
}
