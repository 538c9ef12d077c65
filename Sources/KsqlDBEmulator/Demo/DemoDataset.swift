/// The seed's demo: 4 streams (raw with nested STRUCTs, flattened, anonymized in EUR, blacklisted
/// cities) and 4 tables aggregating them, all generated deterministically from a seed.
struct DemoDataset {
    let random: DemoRandom
    let startMillis: Int64
    let spanMillis: Int64
    let rows: Int
    /// Each row's share of the span (computed once: `time(_:)` runs for every row served).
    private let sliceMillis: Int64
    /// The strings rows render from.
    let json = DemoJSON.shared

    init(seed: UInt64, startDate: String?, days: Int, rowsPerStream: Int) throws(EmulatorError) {
        guard days >= 1 else { throw .badRequest("--days must be at least 1") }
        guard rowsPerStream >= 0 else { throw .badRequest("--rows must not be negative") }
        let startDay: Int64
        if let startDate {
            guard let parsed = EmulatorCalendar.parseDate(startDate) else {
                throw .badRequest("--start-date must be yyyy-MM-dd, got '\(startDate)'")
            }
            startDay = parsed
        } else {
            startDay = EmulatorClock.nowMillis() / EmulatorCalendar.millisPerDay - 3
        }
        self.random = DemoRandom(seed: seed)
        self.startMillis = startDay * EmulatorCalendar.millisPerDay
        self.spanMillis = Int64(days) * EmulatorCalendar.millisPerDay
        self.rows = rowsPerStream
        self.sliceMillis = max(1, spanMillis / Int64(max(rowsPerStream, 1)))
    }

    static let cardType = EmulatorType.structure([
        EmulatorField("NUMBER", .string), EmulatorField("BRAND", .string), EmulatorField("EXPIRY", .string),
    ])
    static let merchantType = EmulatorType.structure([
        EmulatorField("ID", .string), EmulatorField("NAME", .string), EmulatorField("CATEGORY", .string),
        EmulatorField("LOCATION", .structure([EmulatorField("CITY", .string), EmulatorField("COUNTRY", .string)])),
    ])

    /// The columns every transaction stream starts with.
    static let transactionColumns = [
        EmulatorColumn("TRANSACTION_ID", .string, isKey: true),
        EmulatorColumn("USER_ID", .string),
        EmulatorColumn("AMOUNT", .decimal(precision: 10, scale: 2)),
        EmulatorColumn("CURRENCY", .string),
        EmulatorColumn("PAYMENT_METHOD", .string),
        EmulatorColumn("CITY", .string),
        EmulatorColumn("PRODUCT_ID", .string),
        EmulatorColumn("TRANSACTION_TIME", .timestamp),
    ]

    static let rawColumns = transactionColumns + [
        EmulatorColumn("IS_REFUND", .boolean),
        EmulatorColumn("CARD", cardType),
        EmulatorColumn("MERCHANT", merchantType),
        EmulatorColumn("TAGS", .array(.string)),
        EmulatorColumn("METADATA", .map(key: .string, value: .string)),
    ]

    static let flattenedColumns = transactionColumns + [
        EmulatorColumn("CARD_BRAND", .string),
        EmulatorColumn("MERCHANT_ID", .string),
        EmulatorColumn("MERCHANT_NAME", .string),
        EmulatorColumn("MERCHANT_CATEGORY", .string),
        EmulatorColumn("MERCHANT_COUNTRY", .string),
    ]

    static let anonymizedColumns = [
        EmulatorColumn("TRANSACTION_ID", .string, isKey: true),
        EmulatorColumn("USER_HASH", .string),
        EmulatorColumn("AMOUNT_EUR", .decimal(precision: 12, scale: 2)),
        EmulatorColumn("PAYMENT_METHOD", .string),
        EmulatorColumn("CITY", .string),
        EmulatorColumn("PRODUCT_ID", .string),
        EmulatorColumn("TRANSACTION_TIME", .timestamp),
    ]

    /// Rows are in time order: each falls in its own slice of the span, jittered inside it.
    func time(_ index: Int) -> Int64 {
        startMillis + Int64(index) * spanMillis / Int64(max(rows, 1)) + Int64(random.next(index, 0) % UInt64(sliceMillis))
    }

    func transaction(_ index: Int) -> DemoTransaction {
        DemoTransaction(index: index, random: random, time: time(index))
    }

    func install(into store: EmulatorStore) throws(EmulatorError) {
        let raw = RawGenerator(dataset: self)
        store.addStream(EmulatorSourceSchema(
            name: "TRANSACTION_STREAM", kind: .stream, columns: Self.rawColumns, topic: "transactions",
            timestampColumn: "TRANSACTION_TIME", partitions: 3,
            statement: "CREATE STREAM TRANSACTION_STREAM (" + Self.rawColumns.map { "\($0.name) \($0.type.typeString)\($0.isKey ? " KEY" : "")" }.joined(separator: ", ")
                + ") WITH (KAFKA_TOPIC='transactions', VALUE_FORMAT='JSON', TIMESTAMP='TRANSACTION_TIME', PARTITIONS=3);"),
            generator: raw)
        store.addDerivedStream(EmulatorSourceSchema(
            name: "TRANSACTION_FLATTENED", kind: .stream, columns: Self.flattenedColumns, topic: "TRANSACTION_FLATTENED",
            timestampColumn: "TRANSACTION_TIME", partitions: 3,
            statement: "CREATE STREAM TRANSACTION_FLATTENED WITH (KAFKA_TOPIC='TRANSACTION_FLATTENED', PARTITIONS=3) AS SELECT TRANSACTION_ID, USER_ID, AMOUNT, CURRENCY, PAYMENT_METHOD, CITY, PRODUCT_ID, TRANSACTION_TIME, CARD->BRAND AS CARD_BRAND, MERCHANT->ID AS MERCHANT_ID, MERCHANT->NAME AS MERCHANT_NAME, MERCHANT->CATEGORY AS MERCHANT_CATEGORY, MERCHANT->LOCATION->COUNTRY AS MERCHANT_COUNTRY FROM TRANSACTION_STREAM EMIT CHANGES;"),
            generator: FlattenedGenerator(dataset: self), from: "TRANSACTION_STREAM", transform: DemoTransforms.flatten)
        store.addDerivedStream(EmulatorSourceSchema(
            name: "TRANSACTION_STREAM_ANONYMIZED", kind: .stream, columns: Self.anonymizedColumns, topic: "TRANSACTION_STREAM_ANONYMIZED",
            timestampColumn: "TRANSACTION_TIME", partitions: 3,
            statement: "CREATE STREAM TRANSACTION_STREAM_ANONYMIZED WITH (KAFKA_TOPIC='TRANSACTION_STREAM_ANONYMIZED', PARTITIONS=3) AS SELECT TRANSACTION_ID, HASH_USER(USER_ID) AS USER_HASH, TO_EUR(AMOUNT, CURRENCY) AS AMOUNT_EUR, PAYMENT_METHOD, CITY, PRODUCT_ID, TRANSACTION_TIME FROM TRANSACTION_STREAM EMIT CHANGES;"),
            generator: AnonymizedGenerator(dataset: self), from: "TRANSACTION_STREAM", transform: DemoTransforms.anonymize)
        var blacklisted: [Int32] = []
        for index in 0..<rows where DemoTransaction.blacklistedCities.contains(DemoTransaction.cities[random.below(DemoTransaction.cities.count, index, 6)]) {
            blacklisted.append(Int32(index))
        }
        store.addDerivedStream(EmulatorSourceSchema(
            name: "TRANSACTION_STREAM_BLACKLISTED", kind: .stream, columns: Self.rawColumns, topic: "TRANSACTION_STREAM_BLACKLISTED",
            timestampColumn: "TRANSACTION_TIME", partitions: 3,
            statement: "CREATE STREAM TRANSACTION_STREAM_BLACKLISTED WITH (KAFKA_TOPIC='TRANSACTION_STREAM_BLACKLISTED', PARTITIONS=3) AS SELECT * FROM TRANSACTION_STREAM WHERE CITY IN ("
                + DemoTransaction.blacklistedCities.sorted().map { "'\($0)'" }.joined(separator: ", ") + ") EMIT CHANGES;"),
            generator: SubsetGenerator(base: raw, indexes: blacklisted), from: "TRANSACTION_STREAM", transform: DemoTransforms.blacklisted)
        DemoTables.install(into: store)
    }
}
