/// Counted nouns for output: "1 feed", "2 feeds", "0 rows".
package enum Plural {
    /// `count` and the noun, with `plural` (default: the noun + "s") unless the count is 1.
    package static func count(_ count: some BinaryInteger, _ noun: String, plural: String? = nil) -> String {
        "\(count) " + (count == 1 ? noun : plural ?? noun + "s")
    }
}
