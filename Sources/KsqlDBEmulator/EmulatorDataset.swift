/// Which sources the emulator starts with.
package enum EmulatorDataset: Sendable, Equatable {
    /// No sources; tests add their own through `EmulatorStore`.
    case empty
    /// The seed's 4 streams and 4 tables, generated from `seed`. `startDate` is `yyyy-MM-dd` (UTC; nil:
    /// 3 days before today); ROWTIMEs spread over `days` days; `rowsPerStream` rows in each stream.
    case demo(seed: UInt64, startDate: String?, days: Int, rowsPerStream: Int)
    /// A JSON dataset file (format: `EmulatorDatasetFile`).
    case file(String)
}
