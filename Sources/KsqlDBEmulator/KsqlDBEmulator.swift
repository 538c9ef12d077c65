import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// An in-process ksqlDB REST server (HTTP/1.1 on SwiftNIO) speaking ksqlDB's wire formats over
/// in-memory streams and tables, for tests and the demo.
package final class KsqlDBEmulator: Sendable {
    private let router: EmulatorRouter
    private let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
    private let channel = Mutex<Channel?>(nil)

    /// Thread-safe access to the sources and their rows (insert rows, read what a query would see).
    package var store: EmulatorStore { router.store }

    private let loadError: EmulatorError?

    /// Loads the dataset; a dataset that cannot be loaded makes `start` throw its error.
    package init(configuration: EmulatorConfiguration) {
        let store = EmulatorStore()
        var loadError: EmulatorError?
        do throws(EmulatorError) {
            switch configuration.dataset {
            case .empty:
                break
            case .demo(let seed, let startDate, let days, let rowsPerStream):
                try DemoDataset(seed: seed, startDate: startDate, days: days, rowsPerStream: rowsPerStream).install(into: store)
            case .file(let path):
                try EmulatorDatasetFile.load(path: path, into: store)
            }
        } catch {
            loadError = error
        }
        self.loadError = loadError
        self.router = EmulatorRouter(configuration: configuration, store: store)
    }

    /// Binds and starts serving; returns the bound port (pass 0 for a free port).
    package func start(host: String = "127.0.0.1", port: Int = 0) async throws -> Int {
        if let loadError { throw loadError }
        let router = self.router
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.writeBufferWaterMark, value: .init(low: 256 * 1024, high: 1024 * 1024))
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handlers = channel.pipeline.syncOperations
                    try handlers.addHandler(ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .dropBytes)))
                    try handlers.addHandler(EmulatorHTTPHandler(router: router))
                }
            }
        let bound = try await bootstrap.bind(host: host, port: port).get()
        channel.withLock { $0 = bound }
        return bound.localAddress?.port ?? port
    }

    /// Stops listening, closes open connections and the event loops.
    package func stop() async throws {
        let bound = channel.withLock { channel in
            defer { channel = nil }
            return channel
        }
        try? await bound?.close().get()
        try await group.shutdownGracefully()
    }

    /// The queries run so far (what `GET /emulator/queries` serves).
    package var queryLog: EmulatorQueryLog { router.queryLog }

    /// Takes effect for the next request.
    package func setFaults(_ faults: EmulatorFaults) {
        router.currentFaults = faults
    }
}
