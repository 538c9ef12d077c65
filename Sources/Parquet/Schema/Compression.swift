/// A page compression codec (parquet.thrift CompressionCodec); the writer supports the first three.
public enum Compression: Int32, Sendable, Hashable {
    case uncompressed = 0, snappy = 1, gzip = 2, lzo = 3, brotli = 4, lz4 = 5, zstd = 6, lz4Raw = 7

    public var name: String {
        switch self {
        case .uncompressed: return "UNCOMPRESSED"
        case .snappy: return "SNAPPY"
        case .gzip: return "GZIP"
        case .lzo: return "LZO"
        case .brotli: return "BROTLI"
        case .lz4: return "LZ4"
        case .zstd: return "ZSTD"
        case .lz4Raw: return "LZ4_RAW"
        }
    }

    /// Parses a codec name as given on a command line (`snappy`, `zstd`, `none`/`uncompressed`).
    public init?(name: String) {
        switch name.lowercased() {
        case "snappy": self = .snappy
        case "zstd": self = .zstd
        case "none", "uncompressed": self = .uncompressed
        default: return nil
        }
    }
}
