/// Stateless SplitMix64 hashing: each demo value is a pure function of (seed, row, field), so any
/// row can be generated on its own, in any order, always the same.
struct DemoRandom {
    let seed: UInt64

    func next(_ index: Int, _ salt: UInt64) -> UInt64 {
        var z = seed &+ UInt64(truncatingIfNeeded: index) &* 0x9E37_79B9_7F4A_7C15 &+ salt &* 0xD1B5_4A32_D192_ED03
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    func below(_ bound: Int, _ index: Int, _ salt: UInt64) -> Int {
        Int(next(index, salt) % UInt64(bound))
    }
}
