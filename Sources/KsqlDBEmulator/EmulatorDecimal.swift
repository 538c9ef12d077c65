/// Exact decimal helpers over (unscaled Int64, scale) pairs; the emulator never routes a DECIMAL
/// through Double except where ksqlDB itself does (inside a STRUCT).
enum EmulatorDecimal {
    static func powerOfTen(_ exponent: Int) -> Int64 {
        var result: Int64 = 1
        for _ in 0..<max(0, exponent) { result = result &* 10 }
        return result
    }

    /// Changes the scale, rounding half up when digits are dropped (BigDecimal.setScale HALF_UP).
    static func rescale(unscaled: Int64, from scale: Int, to target: Int) -> (Int64, Int) {
        if scale == target { return (unscaled, target) }
        if scale < target { return (unscaled &* powerOfTen(target - scale), target) }
        let divisor = powerOfTen(scale - target)
        var quotient = unscaled / divisor
        let remainder = (unscaled % divisor).magnitude
        if remainder * 2 >= divisor.magnitude { quotient += unscaled < 0 ? -1 : 1 }
        return (quotient, target)
    }

    static func double(unscaled: Int64, scale: Int) -> Double {
        Double(unscaled) / Double(powerOfTen(scale))
    }

    /// Parses plain decimal text (`-12.50`, `3`, `1e2` is refused) into an unscaled value and scale.
    static func parse(_ text: Substring) -> (unscaled: Int64, scale: Int)? {
        var negative = false
        var body = text
        if body.first == "-" { negative = true; body = body.dropFirst() } else if body.first == "+" { body = body.dropFirst() }
        guard !body.isEmpty else { return nil }
        var unscaled: Int64 = 0
        var scale = 0
        var seenDot = false
        var seenDigit = false
        for character in body.utf8 {
            if character == UInt8(ascii: ".") {
                guard !seenDot else { return nil }
                seenDot = true
                continue
            }
            guard character >= 0x30 && character <= 0x39 else { return nil }
            seenDigit = true
            let (times, overflow1) = unscaled.multipliedReportingOverflow(by: 10)
            let (plus, overflow2) = times.addingReportingOverflow(Int64(character - 0x30))
            guard !overflow1 && !overflow2 else { return nil }
            unscaled = plus
            if seenDot { scale += 1 }
        }
        guard seenDigit else { return nil }
        return (negative ? -unscaled : unscaled, scale)
    }
}
