/// One generated transaction of the demo's raw stream, before it is shaped into a stream's columns.
struct DemoTransaction {
    static let cities = [
        "Paris", "Lyon", "Marseille", "Toulouse", "Nice", "Nantes", "Strasbourg", "Bordeaux", "Lille", "Rennes",
        "London", "Manchester", "Berlin", "Munich", "Hamburg", "Madrid", "Barcelona", "Lisbon", "Rome", "Milan",
        "Amsterdam", "Brussels", "Geneva", "Zurich", "Vienna", "Prague", "Warsaw", "Dublin", "Copenhagen", "Stockholm",
        "Oslo", "Helsinki", "New York", "Boston", "Chicago", "San Francisco", "Seattle", "Toronto", "Montreal", "Tokyo",
        "Osaka", "Singapore", "Sydney", "Melbourne", "São Paulo", "Gotham", "Metropolis", "Springfield", "Atlantis", "Shelbyville",
    ]
    /// Fictional cities the demo's fraud rules block (transaction_stream_blacklisted).
    static let blacklistedCities: Set<String> = ["Gotham", "Metropolis", "Springfield", "Atlantis", "Shelbyville"]
    static let paymentMethods = ["credit_card", "debit_card", "paypal", "apple_pay", "bank_transfer"]
    static let currencies = ["EUR", "USD", "GBP", "CHF", "JPY"]
    /// EUR per unit of each currency, scaled by 10⁴ (exact decimal conversion).
    static let eurRates: [Int64] = [10_000, 9_200, 11_700, 10_500, 62]
    static let brands = ["VISA", "MASTERCARD", "AMEX", "CB"]
    static let categories = ["grocery", "electronics", "fashion", "travel", "restaurants", "books", "health", "home"]
    static let countries = ["FR", "GB", "DE", "ES", "PT", "IT", "NL", "BE", "CH", "US"]
    static let channels = ["web", "mobile", "pos"]

    // Strings repeat across rows, so rows pick them from tables made once rather than formatting each.
    static let userIds = (0..<1000).map { "user_" + String($0).leftPadded(to: 4) }
    static let userHashes = userIds.map(hash)

    /// The anonymized user id: FNV-1a in hex, stable across runs and platforms, unlike Hasher.
    static func hash(_ userId: String) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in userId.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        return String(hash, radix: 16).leftPadded(to: 16)
    }

    /// Converts cents of `currency` to EUR cents, rounding half away from zero.
    static func eurCents(_ cents: Int64, currency: Int) -> Int64 {
        let scaled = cents.magnitude * UInt64(eurRates[currency])
        let eur = Int64((scaled + 5_000) / 10_000)
        return cents < 0 ? -eur : eur
    }
    static let productIds = (0..<200).map { "prod_" + String($0).leftPadded(to: 3) }
    static let cardNumbers = (0..<10_000).map { "****" + String($0).leftPadded(to: 4) }
    static let expiries: [String] = (0..<60).map { (code: Int) -> String in
        let month: String = String(code % 12 + 1).leftPadded(to: 2)
        return month + "/" + String(26 + code / 12)
    }
    static let merchantIds = (0..<300).map { "m_\($0)" }
    static let merchantNames = (0..<300).map { "Merchant \($0)" }

    var index: Int
    var user: Int
    var amountCents: Int64
    var currency: Int
    var paymentMethod: Int
    var city: Int
    var product: Int?
    var time: Int64
    var card: Int
    var cardBrand: Int
    var expiry: Int
    var merchant: Int
    var channel: Int
    var isRefund: Bool

    init(index: Int, random: DemoRandom, time: Int64) {
        self.index = index
        user = random.below(1000, index, 1)
        // Mostly small amounts with a long tail, as card payments are.
        let r = random.next(index, 2)
        let bucket = r % 100
        let spread = r >> 8
        amountCents = bucket < 70 ? 100 + Int64(spread % 9_900) : (bucket < 95 ? 10_000 + Int64(spread % 40_000) : 50_000 + Int64(spread % 150_000))
        currency = random.below(100, index, 3) < 60 ? 0 : 1 + random.below(4, index, 4)
        paymentMethod = random.below(Self.paymentMethods.count, index, 5)
        city = random.below(Self.cities.count, index, 6)
        product = random.below(100, index, 7) < 2 ? nil : random.below(200, index, 8)
        self.time = time
        card = random.below(10_000, index, 9)
        cardBrand = random.below(Self.brands.count, index, 10)
        expiry = random.below(60, index, 11)
        merchant = random.below(300, index, 13)
        channel = random.below(Self.channels.count, index, 14)
        isRefund = random.below(100, index, 15) == 0
    }

    /// `tx-` and the 1-based index on 9 digits: 12 bytes, so a small (inline) string.
    var transactionId: String {
        var digits: (UInt64, UInt64) = (0, 0)
        return withUnsafeMutableBytes(of: &digits) { raw in
            raw[0] = UInt8(ascii: "t"); raw[1] = UInt8(ascii: "x"); raw[2] = UInt8(ascii: "-")
            var value = index + 1
            for position in stride(from: 11, through: 3, by: -1) {
                raw[position] = UInt8(value % 10) + 0x30
                value /= 10
            }
            return String(decoding: UnsafeRawBufferPointer(rebasing: raw[0..<12]), as: UTF8.self)
        }
    }

    var userId: String { Self.userIds[user] }
    var userHash: String { Self.userHashes[user] }
    var productId: String? { product.map { Self.productIds[$0] } }
    var cardNumber: String { Self.cardNumbers[card] }
    var cardExpiry: String { Self.expiries[expiry] }
    var merchantId: String { Self.merchantIds[merchant] }
    var merchantName: String { Self.merchantNames[merchant] }
    var merchantCategory: Int { merchant % Self.categories.count }
    var merchantCountry: Int { merchant % Self.countries.count }

    var amountEURCents: Int64 { Self.eurCents(amountCents, currency: currency) }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
