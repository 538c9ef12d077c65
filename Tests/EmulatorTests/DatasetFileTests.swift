import Foundation
import Testing
@testable import KsqlDBEmulator

@Suite struct DatasetFileTests {
    static let document = #"""
    {"sources": [
      {"name": "ORDERS", "type": "STREAM", "topic": "orders", "timestamp": "ORDER_TIME",
       "columns": [{"name": "ID", "type": "BIGINT", "key": true},
                   {"name": "AMOUNT", "type": "DECIMAL(10, 2)"},
                   {"name": "ORDER_TIME", "type": "TIMESTAMP"},
                   {"name": "ITEMS", "type": "ARRAY<STRUCT<SKU STRING, QTY INT>>"},
                   {"name": "DAY", "type": "DATE"}],
       "rows": [{"ID": 1, "AMOUNT": 12.5, "ORDER_TIME": "2023-11-14T22:13:20.000", "ITEMS": [{"SKU": "a", "QTY": 2}], "DAY": "2023-11-14"},
                {"ROWTIME": 5, "ID": 2, "AMOUNT": 0.10}]},
      {"name": "TOTALS", "type": "TABLE", "columns": [{"name": "K", "type": "STRING", "key": true}, {"name": "N", "type": "BIGINT"}],
       "rows": [{"K": "a", "N": 3}]}
    ]}
    """#

    @Test func loadsSourcesAndRows() throws {
        let store = EmulatorStore()
        try EmulatorDatasetFile.load(json: EmulatorJSON.parse(Array(Self.document.utf8)), origin: "test.json", into: store)
        #expect(store.sourceNames == ["ORDERS", "TOTALS"])
        #expect(store.schema(of: "orders")?.columns.map(\.type.typeString)
                == ["BIGINT", "DECIMAL(10, 2)", "TIMESTAMP", "ARRAY<STRUCT<`SKU` STRING, `QTY` INTEGER>>", "DATE"])
        #expect(try store.rows(of: "orders") == [
            EmulatorRow(rowtime: 1_700_000_000_000, values: [.int(1), .decimal(unscaled: 1250, scale: 2), .int(1_700_000_000_000),
                                                             .array([.structure([.string("a"), .int(2)])]), .int(19675)]),
            EmulatorRow(rowtime: 5, values: [.int(2), .decimal(unscaled: 10, scale: 2), .null, .null, .null]),
        ])
        #expect(try store.rows(of: "totals") == [EmulatorRow(rowtime: 0, values: [.string("a"), .int(3)])])
    }

    @Test func errorsNameThePlace() throws {
        let store = EmulatorStore()
        let bad = #"{"sources": [{"name": "S", "type": "STREAM", "columns": [{"name": "N", "type": "INT"}], "rows": [{"N": "x"}]}]}"#
        #expect(throws: EmulatorError.badRequest(#"f.json: sources[0].rows[0].N: "x" is not a INTEGER"#)) {
            try EmulatorDatasetFile.load(json: EmulatorJSON.parse(Array(bad.utf8)), origin: "f.json", into: store)
        }
        #expect(throws: EmulatorError.badRequest("f.json:2:3: expected a member name")) {
            try EmulatorJSON.parse(Array("{\n  ]".utf8), origin: "f.json")
        }
    }

    @Test func fileDatasetOverHTTP() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("emulator-dataset-\(getpid()).json").path
        try Self.document.write(toFile: path, atomically: false, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await EmulatorFixture.with(EmulatorConfiguration(dataset: .file(path))) { port, _ in
            let response = try EmulatorFixture.queryStream(port, "SELECT * FROM orders;")
            #expect(response.chunks.dropFirst() == [
                #"[1,12.50,"2023-11-14T22:13:20.000",[{"SKU":"a","QTY":2}],"2023-11-14"]"# + "\n",
                "[2,0.10,null,null,null]\n",
            ])
        }
        let missing = KsqlDBEmulator(configuration: EmulatorConfiguration(dataset: .file("/nonexistent/x.json")))
        await #expect(throws: EmulatorError.badRequest("/nonexistent/x.json: cannot open the dataset file")) {
            _ = try await missing.start()
        }
    }
}
