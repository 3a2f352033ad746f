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

    /// A store with the report of the refresh that built it beside it, in the keys `bdscheck refresh`
    /// writes (only those `sources` reads, and one it does not).
    static func storeWithRefreshReport() throws -> String {
        let path = try temporaryDirectory() + "/store.sqlite"
        try buildStore(to: path)
        let store = try Store(path: path)
        let (builtAt, buildID) = (try store.meta("built_at") ?? "", try store.meta("build_id") ?? "")
        try """
        {"builtAt": "\(builtAt)", "buildID": "\(buildID)", "dryRun": false, "finishedAt": "\(builtAt)", "seconds": 0.1,
         "dropped": [{"id": "export", "keptCopyOf": "/home/maintainer/export.csv", "rebuilt": false}],
         "report": {"sources": [{"id": "companies", "records": 12, "invalid": 0, "location": "datasets/companies.csv"},
                                {"id": "products", "records": 3, "invalid": 1, "location": "datasets/products.csv"}]}}
        """.write(toFile: StoreSummary.reportPath(forStore: path), atomically: true, encoding: .utf8)
        return path
    }
}

/// A server under test: the router, and what the tests look at behind it. The router is complete
/// before any request reaches it, and only read from then on.
struct TestServer: @unchecked Sendable {
    let holder: StoreHolder
    let metrics: ServerMetrics
    let reloader: StoreReloader
    let router: Router<ServerRequestContext>
    let reports: ReportStore
    let log: CapturedLog
    let configuration: ServerConfiguration

    init(
        storePath: String = ServerFixture.sharedStorePath, configuration: ServerConfiguration = ServerConfiguration(port: 0),
        reportLimiter: RateLimiter = RateLimiter()
    ) throws {
        holder = try StoreHolder(path: storePath, connections: 2)
        metrics = ServerMetrics()
        log = CapturedLog()
        reloader = StoreReloader(holder: holder, metrics: metrics, logger: log.logger)
        self.configuration = configuration
        reports = try ReportStore(path: try ServerFixture.temporaryDirectory() + "/reports.sqlite")
        router = buildRouter(
            holder: holder, configuration: configuration, metrics: metrics, reloader: reloader, resources: try .bundled(),
            reports: reports, reportLimiter: reportLimiter
        )
    }

    var application: some ApplicationProtocol {
        Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: log.logger)
    }
}
