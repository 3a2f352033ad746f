import BDSImport
import BDSServer
import BDSStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization

/// Stores built from the fixture project, and servers around them.
enum ServerFixture {
    static var projectDirectory: String {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent("project").path
    }

    static func temporaryDirectory() throws -> String {
        let dir = NSTemporaryDirectory() + "bdscheck-server-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Copies the fixture project to a temporary folder, so a test may edit its datasets.
    static func copyProject() throws -> String {
        let target = try temporaryDirectory() + "/project"
        try FileManager.default.copyItem(atPath: projectDirectory, toPath: target)
        return target
    }

    static func buildStore(project: String = projectDirectory, to path: String) throws {
        let definitions = try ImportDefinition.loadAll(directory: project + "/importers")
        _ = try StoreBuilder(definitions: definitions, displayRoot: project, origin: "test", logger: Logger(label: "test"))
            .build(to: path)
    }

    /// One store shared by the tests that only read.
    static let sharedStorePath: String = {
        do {
            let path = try temporaryDirectory() + "/store.sqlite"
            try buildStore(to: path)
            return path
        } catch {
            fatalError("fixture store failed to build: \(error)")
        }
    }()

    static let adminToken = "test-admin-token-0123456789"
}

/// A server under test: the router, and what the tests look at behind it. The router is complete
/// before any request reaches it, and only read from then on.
struct TestServer: @unchecked Sendable {
    let holder: StoreHolder
    let metrics: ServerMetrics
    let reloader: StoreReloader
    let router: Router<BasicRequestContext>
    let log: CapturedLog
    let configuration: ServerConfiguration

    init(storePath: String = ServerFixture.sharedStorePath, configuration: ServerConfiguration = ServerConfiguration(port: 0)) throws {
        holder = try StoreHolder(path: storePath, connections: 2)
        metrics = ServerMetrics()
        log = CapturedLog()
        reloader = StoreReloader(holder: holder, metrics: metrics, logger: log.logger)
        self.configuration = configuration
        router = buildRouter(
            holder: holder, configuration: configuration, metrics: metrics, reloader: reloader, resources: try .bundled()
        )
    }

    var application: some ApplicationProtocol {
        Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: log.logger)
    }
}

/// Log records kept in memory, for asserting what the server logged.
final class CapturedLog: Sendable {
    struct Record: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]
    }

    let records = Mutex<[Record]>([])

    var logger: Logger {
        Logger(label: "test.server") { _ in Handler(log: self) }
    }

    struct Handler: LogHandler {
        let log: CapturedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            log.records.withLock {
                $0.append(Record(level: event.level, message: "\(event.message)", metadata: merged.mapValues { "\($0)" }))
            }
        }
    }
}
