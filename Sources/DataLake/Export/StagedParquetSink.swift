import LakeStorage
import Parquet

/// A Parquet writer's output into a staged lake object: the bytes go to storage, invisible to
/// readers until the export's commit publishes them.
final class StagedParquetSink: ParquetSink {
    let object: any StagedObject

    init(_ object: any StagedObject) { self.object = object }

    func write(_ bytes: UnsafeRawBufferPointer) throws { try object.write(bytes) }
}
