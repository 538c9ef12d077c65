import Foundation
import Testing
@testable import DataLake
import DataLakeTestSupport
@testable import KsqlDBClient
@testable import KsqlParquet
@testable import LakeStorage
@testable import Parquet

/// `PartitionFileWriter`: exact file sizes in rows and event time ranges with nested rows fed one
/// line at a time, as the export does, and an abort that leaves nothing behind.
@Suite(.timeLimit(.minutes(2))) struct ExportPartitionFileWriterTests {
    func partitionWriter(_ dir: TempDirectory, maxRows: Int) -> PartitionFileWriter {
        PartitionFileWriter(storage: LocalLakeStorage(root: dir.path), feedDirectory: .root, partition: "", prefix: "data", stamp: "s",
                            fields: RowsParallelWriterTests.nested, options: RowsParallelWriterTests.options(),
                            fileMaxRows: maxRows, fileMode: 0o644, taken: ["data_s.parquet"])
    }

    @Test func filesHoldExactlyMaxRowsWithTheirTimeRange() throws {
        let dir = TempDirectory()
        let w = partitionWriter(dir, maxRows: 4_000)
        let count = 10_500
        for i in 0..<count {
            try Array(RowsParallelWriterTests.row(i).utf8).withUnsafeBytes { try w.append($0, time: i % 3 == 0 ? nil : Int64(i * 10)) }
        }
        let files = try w.finish()
        #expect(files.map(\.relativePath) == ["data_s_2.parquet", "data_s_3.parquet", "data_s_4.parquet"])
        #expect(files.map(\.rows) == [4_000, 4_000, 2_500])
        #expect(files.map(\.minTime) == [10, 40_000, 80_000])
        #expect(files.map(\.maxTime) == [39_980, 79_990, 104_990])
        for f in files {
            let bytes = try #require(try LocalFiles.read(dir.url(LocalFiles.temporaryName(of: f.relativePath))))
            #expect(bytes.count == f.bytes)
            #expect(try FooterReader.read(bytes: bytes).numRows == Int64(f.rows))
        }
        for f in files { f.object.abort() }
    }

    @Test func abortDeletesEveryFileWhileRowsAreInFlight() throws {
        let dir = TempDirectory()
        let w = partitionWriter(dir, maxRows: 3_000)
        for i in 0..<7_000 {
            try Array(RowsParallelWriterTests.row(i).utf8).withUnsafeBytes { try w.append($0, time: Int64(i)) }
        }
        w.abort()
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }
}
