import BDSServer
import BDSStore
import BDSTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization

/// Stores built from the fixture project, and servers around them.
enum ServerFixture {
    static var projectDirectory: String { FixtureStore.projectDirectory }

    static func temporaryDirectory() throws -> String { try FixtureStore.temporaryDirectory() }

    static func copyProject() throws -> String { try FixtureStore.copyProject() }

    static func buildStore(project: String = projectDirectory, to path: String) throws {
        _ = try FixtureStore.build(project: project, to: path)
    }

    /// One store shared by the tests that only read.
    static var sharedStorePath: String { FixtureStore.sharedStorePath }

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

    init(
        storePath: String = ServerFixture.sharedStorePath, configuration: ServerConfiguration = ServerConfiguration(port: 0)
    ) throws {
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
