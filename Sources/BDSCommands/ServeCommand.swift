import ArgumentParser
import BDSServer
import BDSStore
import Foundation
import Hummingbird
import Logging

/// `bdscheck serve`: the HTTP API and the kiosk page.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the HTTP API and the kiosk page (see docs/HTTP.md).",
        discussion: """
            Binds 127.0.0.1:8080 unless told otherwise. The store is opened read-only; after \
            `bdscheck refresh`, send SIGHUP or POST /v1/admin/reload to answer from the new store \
            without failing requests in flight. The admin endpoint is enabled only when a token is \
            given by $BDSCHECK_ADMIN_TOKEN or --admin-token-file. SIGTERM and SIGINT shut down \
            gracefully. Log level: $BDSCHECK_LOG_LEVEL (default info for the server).
            """
    )

    @Option(help: "The address to listen on. Use 0.0.0.0 to serve the shop network.")
    var host = "127.0.0.1"

    @Option(help: "The TCP port (0 picks a free one and logs it).")
    var port = 8080

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: "Read-only store connections, i.e. lookups at once (default: twice the cores).")
    var connections: Int?

    @Option(
        name: .customLong("cors-origin"),
        help: ArgumentHelp("Allow browser pages from this origin to call the API (repeatable; * for any). Off by default.", valueName: "origin")
    )
    var corsOrigins: [String] = []

    @Option(help: ArgumentHelp("A file holding the admin bearer token (instead of $BDSCHECK_ADMIN_TOKEN).", valueName: "path"))
    var adminTokenFile: String?

    @Option(help: ArgumentHelp("Seconds the kiosk page shows an answer before it asks for the next scan.", valueName: "seconds"))
    var kioskReset = 20

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
        if let connections, connections < 1 { throw ValidationError("--connections must be at least 1") }
        guard kioskReset >= 3 else { throw ValidationError("--kiosk-reset must be at least 3 seconds") }
    }

    func run() async throws {
        var logger = Logger(label: "bdscheck.server")
        if ProcessInfo.processInfo.environment["BDSCHECK_LOG_LEVEL"] == nil { logger.logLevel = .info }
        let token = try adminToken()
        let path = try openStore(storeOptions).path
        let holder: StoreHolder
        do {
            holder = try StoreHolder(path: path, connections: connections ?? 2 * ProcessInfo.processInfo.activeProcessorCount)
        } catch {
            printError("\(error)")
            throw ExitCode(ExitStatus.internalError)
        }
        let metrics = ServerMetrics()
        metrics.bootstrapMetricsSystem()
        let reloader = StoreReloader(holder: holder, metrics: metrics, logger: logger)
        let app = try buildApplication(
            holder: holder,
            configuration: ServerConfiguration(
                host: host, port: port, corsOrigins: corsOrigins, adminToken: token, kioskResetSeconds: kioskReset
            ),
            logger: logger, metrics: metrics, reloader: reloader
        )
        let hangup = reloader.reloadOnHangup()
        defer { hangup.cancel() }
        logger.info("serving", metadata: [
            "store": "\(path)", "admin_reload": "\(token == nil ? "disabled" : "enabled")",
            "cors": "\(corsOrigins.isEmpty ? "off" : corsOrigins.joined(separator: " "))",
        ])
        try await app.runService()
    }

    /// The token from --admin-token-file or $BDSCHECK_ADMIN_TOKEN; nil leaves the admin endpoint disabled.
    func adminToken() throws -> String? {
        let raw: String?
        if let adminTokenFile {
            do {
                raw = try String(contentsOfFile: adminTokenFile, encoding: .utf8)
            } catch {
                throw ValidationError("cannot read the admin token file \(adminTokenFile): \(error.localizedDescription)")
            }
        } else {
            raw = ProcessInfo.processInfo.environment["BDSCHECK_ADMIN_TOKEN"]
        }
        guard let token = raw?.trimmingCharacters(in: .whitespacesAndNewlines) else { return nil }
        if token.isEmpty {
            if adminTokenFile != nil { throw ValidationError("the admin token file \(adminTokenFile!) is empty") }
            return nil
        }
        guard token.count >= 16 else { throw ValidationError("the admin token is too short: use at least 16 characters") }
        return token
    }
}
