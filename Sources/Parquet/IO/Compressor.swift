import CSnappy
import CZstd

/// Compresses page bodies with the chosen codec into a reused output buffer.
struct Compressor {
    let codec: Compression
    let zstdLevel: Int32

    /// Compresses `input` into the first bytes of `out` (grown as needed, never shrunk) and returns
    /// the compressed length. Not called for UNCOMPRESSED.
    func compress(_ input: [UInt8], into out: inout [UInt8]) throws(ParquetError) -> Int {
        switch codec {
        case .snappy:
            let cap = snappy_max_compressed_length(input.count)
            if out.count < cap { out = [UInt8](repeating: 0, count: cap) }
            var len = cap
            let status = input.withUnsafeBufferPointer { i in
                out.withUnsafeMutableBufferPointer { o in
                    i.withMemoryRebound(to: CChar.self) { ic in
                        o.withMemoryRebound(to: CChar.self) { oc in
                            snappy_compress(ic.baseAddress, input.count, oc.baseAddress, &len)
                        }
                    }
                }
            }
            guard status == SNAPPY_OK else { throw ParquetError("snappy compression failed") }
            return len
        case .zstd:
            let cap = ZSTD_compressBound(input.count)
            if out.count < cap { out = [UInt8](repeating: 0, count: cap) }
            let level = zstdLevel
            let len = input.withUnsafeBytes { i in
                out.withUnsafeMutableBytes { o in
                    ZSTD_compress(o.baseAddress, cap, i.baseAddress, input.count, level)
                }
            }
            guard ZSTD_isError(len) == 0 else { throw ParquetError("zstd compression failed") }
            return len
        default:
            throw ParquetError("compression codec \(codec.name) is not supported by this writer")
        }
    }
}
