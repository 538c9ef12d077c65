import KsqlParquet
import LakeStorage
import Parquet

/// `datalake convert`: a saved `/query-stream` response file (or standard input) into one local
/// Parquet file that appears only when complete.
package enum DumpConversion {
    package static func convert(inputPath: String, outputPath: String,
                                options: ParquetWriterOptions = ParquetWriterOptions()) throws(KsqlDumpConverter.Failure) -> KsqlParquetSummary {
        let reader: LocalFileReader
        do { reader = try LocalFileReader(path: inputPath) } catch {
            throw KsqlDumpConverter.Failure(file: inputPath == "-" ? "<stdin>" : inputPath, message: error.reason)
        }
        var output: LocalAtomicFile?
        do throws(KsqlDumpConverter.Failure) {
            let summary = try KsqlDumpConverter.convert(inputName: reader.name, read: { try reader.read(into: $0) }, makeSink: {
                let file = try LocalFiles.atomicWriter(outputPath)
                output = file
                return AtomicFileSink(file)
            }, options: options)
            do { try output?.commit() } catch {
                throw KsqlDumpConverter.Failure(file: outputPath, message: "\(error)")
            }
            return summary
        } catch {
            output?.abort()
            // Output failures name the output file.
            if error.file == nil { throw KsqlDumpConverter.Failure(file: outputPath, message: error.message) }
            throw error
        }
    }
}

/// A Parquet writer's output into a local file written atomically.
final class AtomicFileSink: ParquetSink {
    let file: LocalAtomicFile
    init(_ file: LocalAtomicFile) { self.file = file }
    func write(_ bytes: UnsafeRawBufferPointer) throws { try file.write(bytes) }
}
