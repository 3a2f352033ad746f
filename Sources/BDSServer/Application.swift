public import BDSStore
import Foundation
public import Hummingbird
public import Logging
public import NIOCore

/// The kiosk page with its style sheet, script and service worker, and the OpenAPI document, as
/// shipped in the target's resources.
public struct ServerResources: Sendable {
    public var kioskPage: String
    public var kioskStyle: String
    public var kioskScript: String
    public var kioskWorker: String
    public var openAPIDocument: String
    /// The report form a shopper opens on a phone, and its script.
    public var reportPage: String
    public var reportScript: String
    /// The words of both pages: the message catalogue's lookup and placeholders, for the browser.
    public var wordsScript: String

    public static func bundled() throws -> ServerResources {
        ServerResources(
            kioskPage: try read("kiosk.html"), kioskStyle: try read("kiosk.css"), kioskScript: try read("kiosk.js"),
            kioskWorker: try read("kiosk-sw.js"), openAPIDocument: try read("openapi.yaml"), reportPage: try read("report.html"),
            reportScript: try read("report.js"), wordsScript: try read("kiosk-words.js")
        )
    }

    static func read(_ name: String) throws -> String {
        let url = Bundle.module.bundleURL.appendingPathComponent("Resources").appendingPathComponent(name)
        return try String(contentsOf: url, encoding: .utf8)
    }
}

/// The request context of every route: Hummingbird's basic context and the client's address, which
/// the report route's rate limit reads (and never stores).
public struct ServerRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}

/// The router with every endpoint and middleware, shared by `bdscheck serve` and the tests.
/// `reports` is the database shoppers' reports go to (nil: the report routes say so).
public func buildRouter(
    holder: StoreHolder, configuration: ServerConfiguration, metrics: ServerMetrics, reloader: StoreReloader,
    resources: ServerResources, reports: ReportStore? = nil, reportLimiter: RateLimiter = RateLimiter()
) -> Router<ServerRequestContext> {
    let router = Router(context: ServerRequestContext.self)
    // Counts and times each request by its route template (not the raw path, which would make one
    // series per barcode), through swift-metrics: see `ServerMetrics`.
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: ErrorMiddleware())
    if !configuration.corsOrigins.isEmpty {
        router.add(middleware: CORSPolicyMiddleware(allowed: Set(configuration.corsOrigins)))
    }
    LookupRoutes(
        holder: holder, metrics: metrics, limits: configuration.limits, defaultLanguage: configuration.defaultLanguage,
        live: configuration.liveLookup
    ).add(to: router)
    OperationsRoutes(
        holder: holder, metrics: metrics, reloader: reloader, adminToken: configuration.adminToken,
        openAPIDocument: ByteBuffer(string: resources.openAPIDocument), maxDataAgeSeconds: configuration.maxDataAgeSeconds
    ).add(to: router)
    ReportRoutes(reports: reports, adminToken: configuration.adminToken, limiter: reportLimiter).add(to: router)
    KioskRoutes(
        resources: resources, resetSeconds: configuration.kioskResetSeconds, maxDataAgeSeconds: configuration.maxDataAgeSeconds,
        publicURL: configuration.publicURL, defaultLanguage: configuration.defaultLanguage
    ).add(to: router)
    return router
}

/// The application `bdscheck serve` runs: the router bound to the configured host and port.
public func buildApplication(
    holder: StoreHolder, configuration: ServerConfiguration, logger: Logger, metrics: ServerMetrics, reloader: StoreReloader,
    resources: ServerResources? = nil, reports: ReportStore? = nil
) throws -> some ApplicationProtocol {
    let router = buildRouter(
        holder: holder, configuration: configuration, metrics: metrics, reloader: reloader,
        resources: try resources ?? .bundled(), reports: reports
    )
    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "bdscheck"),
        logger: logger
    )
}
