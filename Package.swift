// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "datalake",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "datalake", targets: ["datalake"]),
        .executable(name: "ksqldb-emulator", targets: ["ksqldb-emulator"]),
        .library(name: "Parquet", targets: ["Parquet"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.30.0"),
    ],
    targets: [
        // Thin module maps over system C libraries.
        .systemLibrary(name: "CYAML", path: "Sources/CYAML",
                       providers: [.apt(["libyaml-dev"])]),
        .systemLibrary(name: "CSnappy", path: "Sources/CSnappy",
                       providers: [.apt(["libsnappy-dev"])]),
        .systemLibrary(name: "CZstd", path: "Sources/CZstd",
                       providers: [.apt(["libzstd-dev"])]),

        // Dependencies point one way, and the compiler holds them to it:
        //   datalake (CLI) → DataLake → KsqlParquet → KsqlDBClient
        //                             ↘ Parquet ← KsqlParquet
        //                             ↘ S3Storage → LakeStorage
        //                             ↘ DeltaLake → LakeStorage
        // Parquet writer and footer reader; knows nothing of ksqlDB or the lake.
        .target(name: "Parquet", dependencies: ["CSnappy", "CZstd"]),

        // The storage seam: every side effect on a lake goes through `LakeStorage`; the local
        // filesystem is its first backend, and the one place that makes POSIX file calls.
        .target(name: "LakeStorage"),

        // The lake on S3-compatible object storage: a SigV4-signed S3 client and its `LakeStorage`.
        .target(name: "S3Storage", dependencies: [
            "LakeStorage",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),

        // The Delta Lake transaction log (PROTOCOL.md): actions, schemas, stats, commits by
        // create-if-absent through the storage seam. Knows nothing of ksqlDB.
        .target(name: "DeltaLake", dependencies: ["LakeStorage"]),

        // ksqlDB's REST API: wire formats, types, errors, the client. Knows nothing of the lake.
        .target(name: "KsqlDBClient", dependencies: [
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ]),

        // ksqlDB rows → Parquet: the byte-level row scanner and the writer export and convert share.
        .target(name: "KsqlParquet", dependencies: ["KsqlDBClient", "Parquet"]),

        // Core: config, registry, lake state, plan, apply, exports.
        .target(name: "DataLake", dependencies: [
            "CYAML", "CSnappy", "CZstd", "Parquet", "KsqlDBClient", "KsqlParquet", "LakeStorage", "S3Storage", "DeltaLake",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),

        // Thin CLI: parses flags, calls DataLake, prints.
        .executableTarget(name: "datalake", dependencies: [
            "DataLake", "KsqlDBClient", "LakeStorage", "Parquet",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // ksqlDB REST emulator: a library (tests start it in-process) plus a thin executable.
        .target(name: "KsqlDBEmulator", dependencies: [
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
        .executableTarget(name: "ksqldb-emulator", dependencies: [
            "KsqlDBEmulator",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Code only tests use: the slow typed row decoder, the ksqlDB health check.
        .target(name: "DataLakeTestSupport", dependencies: ["KsqlDBClient", "KsqlParquet"],
                path: "Tests/DataLakeTestSupport"),

        .testTarget(name: "ParquetTests", dependencies: ["Parquet"]),
        .testTarget(name: "DataLakeTests", dependencies: [
            "DataLake", "DataLakeTestSupport", "KsqlDBClient", "KsqlParquet", "LakeStorage", "S3Storage", "KsqlDBEmulator", "Parquet", "DeltaLake",
        ]),
        .testTarget(name: "EmulatorTests", dependencies: [
            "KsqlDBEmulator",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),
    ]
)
