import Testing
@testable import KsqlDBEmulator

@Suite struct DemoDatasetTests {
    static func demo(seed: UInt64 = 7, rows: Int = 3000) throws -> EmulatorStore {
        let store = EmulatorStore()
        try DemoDataset(seed: seed, startDate: "2025-01-13", days: 3, rowsPerStream: rows).install(into: store)
        return store
    }

    @Test func hasTheSeedsSources() throws {
        let store = try Self.demo()
        #expect(store.sourceNames == [
            "TRANSACTION_STREAM", "TRANSACTION_FLATTENED", "TRANSACTION_STREAM_ANONYMIZED", "TRANSACTION_STREAM_BLACKLISTED",
            "USER_TRANSACTION_SUMMARY", "USER_TRANSACTION_SUMMARY_EUR", "PAYMENT_METHOD_TOTALS", "PRODUCT_PURCHASE_COUNTS",
        ])
        #expect(store.schema(of: "transaction_stream")?.columns.first { $0.name == "MERCHANT" }?.type.typeString
                == "STRUCT<`ID` STRING, `NAME` STRING, `CATEGORY` STRING, `LOCATION` STRUCT<`CITY` STRING, `COUNTRY` STRING>>")
    }

    /// The generators' fast renderers must write exactly what the generic renderer writes.
    @Test func fastRenderingMatchesGenericRendering() throws {
        let store = try Self.demo()
        for name in ["TRANSACTION_STREAM", "TRANSACTION_FLATTENED", "TRANSACTION_STREAM_ANONYMIZED", "TRANSACTION_STREAM_BLACKLISTED"] {
            let snapshot = try #require(store.snapshot(of: name))
            let types = try #require(store.schema(of: name)).columns.map(\.type)
            #expect(snapshot.count > 0)
            for offset in 0..<snapshot.count {
                let row = snapshot[offset]
                var fast: [UInt8] = []
                #expect(snapshot.renderGenerated(at: offset, withRowtime: false, into: &fast))
                var generic: [UInt8] = []
                generic.writeRow(row.values, types: types)
                #expect(fast == generic, "\(name) row \(offset)")
                // SELECT ROWTIME, *: the same columns after the ROWTIME.
                var fastWithRowtime: [UInt8] = []
                #expect(snapshot.renderGenerated(at: offset, withRowtime: true, into: &fastWithRowtime))
                var genericWithRowtime: [UInt8] = [UInt8(ascii: "[")]
                genericWithRowtime.writeDecimalInteger(row.rowtime)
                genericWithRowtime.writeInteger(UInt8(ascii: ","))
                genericWithRowtime.append(contentsOf: generic.dropFirst())
                #expect(fastWithRowtime == genericWithRowtime, "\(name) row \(offset) with ROWTIME")
                #expect(snapshot.rowtime(at: offset) == row.rowtime)
                if fast != generic || fastWithRowtime != genericWithRowtime { return }
            }
        }
    }

    @Test func deterministicFromTheSeed() throws {
        let a = try Self.demo(seed: 1).rows(of: "TRANSACTION_STREAM")
        let b = try Self.demo(seed: 1).rows(of: "TRANSACTION_STREAM")
        let c = try Self.demo(seed: 2).rows(of: "TRANSACTION_STREAM")
        #expect(a == b)
        #expect(a != c)
        #expect(a.count == 3000)
    }

    @Test func rowsAreRealisticAndInTimeOrder() throws {
        let rows = try Self.demo().rows(of: "TRANSACTION_STREAM")
        let start = try #require(EmulatorCalendar.parseTimestamp("2025-01-13"))
        #expect(rows.allSatisfy { $0.rowtime >= start && $0.rowtime < start + 3 * EmulatorCalendar.millisPerDay })
        #expect(zip(rows, rows.dropFirst()).allSatisfy { $0.rowtime <= $1.rowtime })
        let users = Set(rows.map { $0.values[1] })
        #expect(users.count > 900 && users.count <= 1000)
        let nullProducts = rows.filter { $0.values[6] == .null }.count
        #expect(nullProducts > 20 && nullProducts < 120)
        #expect(Set(rows.map { $0.values[4] }).count == 5)
        #expect(rows.allSatisfy { if case .int(let t) = $0.values[7] { return t == $0.rowtime } else { return false } })
    }

    @Test func blacklistedIsTheRawRowsOfBlacklistedCities() throws {
        let store = try Self.demo()
        let raw = try store.rows(of: "TRANSACTION_STREAM")
        let blacklisted = try store.rows(of: "TRANSACTION_STREAM_BLACKLISTED")
        let expected = raw.filter { row in
            guard case .string(let city) = row.values[5] else { return false }
            return DemoTransaction.blacklistedCities.contains(city)
        }
        #expect(blacklisted == expected)
        #expect(!blacklisted.isEmpty)
    }

    @Test func tablesAggregateTheirStreams() throws {
        let store = try Self.demo()
        let raw = try store.rows(of: "TRANSACTION_STREAM")
        let totals = try store.rows(of: "PAYMENT_METHOD_TOTALS")
        #expect(totals.count == 5)
        var count: Int64 = 0
        var cents: Int64 = 0
        for row in totals {
            guard case .int(let n) = row.values[1], case .decimal(let sum, 2) = row.values[2] else { Issue.record("bad row \(row)"); return }
            count += n
            cents += sum
        }
        let rawCents = raw.reduce(Int64(0)) { total, row in
            guard case .decimal(let amount, 2) = row.values[2] else { return total }
            return total + amount
        }
        #expect(count == Int64(raw.count))
        #expect(cents == rawCents)
        let summaries = try store.rows(of: "USER_TRANSACTION_SUMMARY")
        #expect(summaries.count == Set(raw.map { $0.values[1] }).count)
        let products = try store.rows(of: "PRODUCT_PURCHASE_COUNTS")
        let productCount = products.reduce(Int64(0)) { if case .int(let n) = $1.values[1] { return $0 + n } else { return $0 } }
        #expect(productCount == Int64(raw.filter { $0.values[6] != .null }.count))
        let eur = try store.rows(of: "USER_TRANSACTION_SUMMARY_EUR")
        #expect(eur.count == summaries.count)
    }

    @Test func insertIntoAStreamChangesItsTables() throws {
        let store = try Self.demo(rows: 10)
        let before = try store.rows(of: "PAYMENT_METHOD_TOTALS")
        try store.execute("INSERT INTO transaction_stream (TRANSACTION_ID, USER_ID, AMOUNT, PAYMENT_METHOD, ROWTIME) VALUES ('x', 'user_new', 1.25, 'cash', 5);")
        let after = try store.rows(of: "PAYMENT_METHOD_TOTALS")
        #expect(after.count == before.count + 1)
        #expect(after.contains(EmulatorRow(rowtime: 5, values: [.string("cash"), .int(1), .decimal(unscaled: 125, scale: 2)])))
        let stream = try store.rows(of: "TRANSACTION_STREAM")
        #expect(stream.count == 11)
        #expect(stream.last?.rowtime == 5)
    }

    /// The derived streams' generators agree with the CSAS transforms applied to the raw rows.
    @Test func derivedStreamsAreTheirQueriesOverTheRawStream() throws {
        let store = try Self.demo(rows: 500)
        let raw = try store.rows(of: "TRANSACTION_STREAM")
        #expect(try store.rows(of: "TRANSACTION_FLATTENED") == raw.compactMap(DemoTransforms.flatten))
        #expect(try store.rows(of: "TRANSACTION_STREAM_ANONYMIZED") == raw.compactMap(DemoTransforms.anonymize))
        #expect(try store.rows(of: "TRANSACTION_STREAM_BLACKLISTED") == raw.compactMap(DemoTransforms.blacklisted))
    }

    @Test func insertsFlowIntoDerivedStreamsAndTheirTables() throws {
        let store = try Self.demo(rows: 10)
        let counts = { (name: String) in try store.rows(of: name).count }
        let before = try ["TRANSACTION_FLATTENED", "TRANSACTION_STREAM_ANONYMIZED", "TRANSACTION_STREAM_BLACKLISTED"].map(counts)
        try store.execute("""
            INSERT INTO transaction_stream (ROWTIME, TRANSACTION_ID, USER_ID, AMOUNT, CURRENCY, CITY, PRODUCT_ID, MERCHANT)
            VALUES (7, 'new', 'user_x', 10.00, 'USD', 'Gotham', 'prod_new', STRUCT(ID := 'm', LOCATION := STRUCT(COUNTRY := 'FR')));
            """)
        let after = try ["TRANSACTION_FLATTENED", "TRANSACTION_STREAM_ANONYMIZED", "TRANSACTION_STREAM_BLACKLISTED"].map(counts)
        #expect(after == before.map { $0 + 1 })
        #expect(try store.rows(of: "TRANSACTION_FLATTENED").last?.values.suffix(5) == [.null, .string("m"), .null, .null, .string("FR")])
        #expect(try store.rows(of: "TRANSACTION_STREAM_ANONYMIZED").last?.values[1...2]
                == [.string(DemoTransaction.hash("user_x")), .decimal(unscaled: 920, scale: 2)])
        #expect(try store.rows(of: "PRODUCT_PURCHASE_COUNTS").contains(EmulatorRow(rowtime: 7, values: [.string("prod_new"), .int(1)])))
        #expect(try store.rows(of: "USER_TRANSACTION_SUMMARY_EUR").contains(
            EmulatorRow(rowtime: 7, values: [.string(DemoTransaction.hash("user_x")), .int(1), .decimal(unscaled: 920, scale: 2)])))
        try store.execute("INSERT INTO transaction_stream (ROWTIME, TRANSACTION_ID, CITY) VALUES (8, 'paris', 'Paris');")
        #expect(try counts("TRANSACTION_STREAM_BLACKLISTED") == after[2])
    }
}
