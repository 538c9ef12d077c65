/// One key/value pair of a MAP value, in insertion order (ksqlDB keeps map order).
package struct EmulatorMapEntry: Sendable, Hashable {
    package var key: String
    package var value: EmulatorValue

    package init(_ key: String, _ value: EmulatorValue) {
        self.key = key
        self.value = value
    }
}
