/// Deterministic strings of decimal digits (a linear congruential generator), for the integer
/// parsers' tests: a failure repeats, and every length is covered the same way.
struct RandomDigits {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next(count: Int) -> String {
        var text = ""
        for _ in 0..<count {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            text.append(Character(String((state >> 33) % 10)))
        }
        return text
    }
}
