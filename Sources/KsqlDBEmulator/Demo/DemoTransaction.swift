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

    var transactionId: String
    var userId: String
    var amountCents: Int64
    var currency: Int
    var paymentMethod: Int
    var city: Int
    var productId: String?
    var time: Int64
    var cardNumber: String
    var cardBrand: Int
    var cardExpiry: String
    var merchantId: Int
    var merchantCategory: Int
    var merchantCountry: Int
    var channel: Int
    var isRefund: Bool

    init(index: Int, random: DemoRandom, time: Int64) {
        transactionId = "tx-" + String(index + 1).leftPadded(to: 9)
        userId = "user_" + String(random.below(1000, index, 1)).leftPadded(to: 4)
        // Mostly small amounts with a long tail, as card payments are.
        let r = random.next(index, 2)
        let bucket = r % 100
        let base: Int64 = bucket < 70 ? 100 + Int64(r >> 8 % 9_900) : (bucket < 95 ? 10_000 + Int64(r >> 8 % 40_000) : 50_000 + Int64(r >> 8 % 150_000))
        amountCents = base
        currency = random.below(100, index, 3) < 60 ? 0 : 1 + random.below(4, index, 4)
        paymentMethod = random.below(Self.paymentMethods.count, index, 5)
        city = random.below(Self.cities.count, index, 6)
        productId = random.below(100, index, 7) < 2 ? nil : "prod_" + String(random.below(200, index, 8)).leftPadded(to: 3)
        self.time = time
        cardNumber = "****" + String(random.below(10_000, index, 9)).leftPadded(to: 4)
        cardBrand = random.below(Self.brands.count, index, 10)
        cardExpiry = String(random.below(12, index, 11) + 1).leftPadded(to: 2) + "/" + String(26 + random.below(5, index, 12))
        merchantId = random.below(300, index, 13)
        merchantCategory = merchantId % Self.categories.count
        merchantCountry = merchantId % Self.countries.count
        channel = random.below(Self.channels.count, index, 14)
        isRefund = random.below(100, index, 15) == 0
    }

    var amountEURCents: Int64 {
        let scaled = amountCents * Self.eurRates[currency]
        return (scaled + 5_000) / 10_000
    }

    var userHash: String {
        // FNV-1a, hex: stable across runs and platforms, unlike Hasher.
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in userId.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        return String(hash, radix: 16).leftPadded(to: 16)
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
