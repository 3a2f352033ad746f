import ArgumentParser
import BDSCheckRun
import BDSCore
import BDSImport
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

            With --pull URL --trust PUBKEY the server pulls the signed snapshot published at URL
            at start and then every --every (default 1h), and answers from each newer one it
            installs, as `bdscheck pull` would (docs/DEPLOY.md).
            """
    )

    @Option(help: "The address to listen on. Use 0.0.0.0 to serve the shop network.")
    var host = "127.0.0.1"

    @Option(help: "The TCP port (0 picks a free one and logs it).")
    var port = 8080

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var onlineOptions: OnlineOptions

    @Option(help: "Read-only store connections, i.e. lookups at once (default: twice the cores).")
    var connections: Int?

    @Option(
        name: .customLong("answer-cache-mb"),
        help: ArgumentHelp(
            "Megabytes of barcode answers kept for codes scanned again, emptied on every reload (0: none).",
            valueName: "mb"))
    var answerCacheMB = StoreHolder.defaultAnswerCacheBytes >> 20

    @Option(
        name: .customLong("cors-origin"),
        help: ArgumentHelp(
            "Allow browser pages from this origin to call the API (repeatable; * for any). Off by default.", valueName: "origin")
    )
    var corsOrigins: [String] = []

    @Option(help: ArgumentHelp("A file holding the admin bearer token (instead of $BDSCHECK_ADMIN_TOKEN).", valueName: "path"))
    var adminTokenFile: String?

    @Option(help: ArgumentHelp("Seconds the kiosk page shows an answer before it asks for the next scan.", valueName: "seconds"))
    var kioskReset = 20

    @Option(help: ArgumentHelp("Pull the signed snapshot published at this base URL (needs --trust).", valueName: "url"))
    var pull: String?

    @Option(help: ArgumentHelp("How often to pull: 30s, 5m, 1h, 1d.", valueName: "duration"))
    var every = DurationArgument(argument: "1h")!

    @OptionGroup var trust: TrustOptions

    @Option(
        help: ArgumentHelp("Flag data older than this as stale on /readyz and the kiosk page (e.g. 30d).", valueName: "duration"))
    var maxDataAge: DurationArgument?

    @Option(
        help: ArgumentHelp(
            "The address phones reach this server at, for the kiosk's QR codes (default: the page's own address).",
            valueName: "url"))
    var publicURL: String?

    @Option(
        help: ArgumentHelp(
            "The kiosk page's language, and the answers' when a request asks for none (en, ar, fr, id, ms, tr, ur; default: English). A request's ?lang= and Accept-Language choose otherwise; the kiosk has a language button.",
            valueName: "code"))
    var lang: String?

    func validate() throws {
        if let lang, Messages.forLanguage(lang) == nil {
            throw ValidationError(
                "--lang \(lang): no messages in that language; there are \(MessageCatalogue.bundledCodes().joined(separator: ", "))"
            )
        }
        if let publicURL, !(publicURL.hasPrefix("http://") || publicURL.hasPrefix("https://")) {
            throw ValidationError("--public-url is an http(s) address, like https://kiosk.example.org")
        }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
        if let connections, connections < 1 { throw ValidationError("--connections must be at least 1") }
        if answerCacheMB < 0 || answerCacheMB > 65536 {
            throw ValidationError("--answer-cache-mb must be from 0 to 65536, not \(answerCacheMB)")
        }
        guard kioskReset >= 3 else { throw ValidationError("--kiosk-reset must be at least 3 seconds") }
        if pull != nil, trust.keys.isEmpty { throw ValidationError("--pull needs the publisher's public key: --trust PUBKEY") }
        if pull == nil, !trust.keys.isEmpty { throw ValidationError("--trust is for --pull URL") }
    }

    func run() async throws {
        var logger = Logger(label: "bdscheck.server")
        if ProcessInfo.processInfo.environment["BDSCHECK_LOG_LEVEL"] == nil { logger.logLevel = .info }
        let token = try adminToken()
        let puller = try pull.map { url in
            SnapshotPuller(
                url: url,
                installer: try trust.installer(
                    storePath: StoreLocator(store: storeOptions.store, data: storeOptions.data).storePath),
                logger: logger
            )
        }
        let path: String
        if let puller {
            path = puller.installer.storePath
            await Self.pullOnce(puller, logger: logger, reloader: nil)
        } else {
            path = try openStore(storeOptions).path
        }
        let holder: StoreHolder
        do {
            holder = try StoreHolder(
                path: path, connections: connections ?? 2 * ProcessInfo.processInfo.activeProcessorCount,
                answerCacheBytes: answerCacheMB << 20)
        } catch {
            printError("\(error)")
            throw ExitCode(ExitStatus.internalError)
        }
        let metrics = ServerMetrics()
        metrics.bootstrapMetricsSystem()
        let reloader = StoreReloader(holder: holder, metrics: metrics, logger: logger)
        // Shoppers' reports go to their own database beside the store, never into it.
        let reports: ReportStore
        do {
            reports = try ReportStore(path: ReportStore.path(besideStore: path))
        } catch {
            printError("cannot open the reports database beside the store: \(error)")
            throw ExitCode(ExitStatus.internalError)
        }
        var configuration = ServerConfiguration(
            host: host, port: port, corsOrigins: corsOrigins, adminToken: token, kioskResetSeconds: kioskReset,
            maxDataAgeSeconds: maxDataAge?.seconds, publicURL: publicURL,
            defaultLanguage: lang.flatMap { Messages.forLanguage($0)?.code }
        )
        if let live = try onlineOptions.resolved().map({ OnlineOptions.lookup($0, storePath: path) }) {
            configuration.liveLookup = { gtin in await live.outcome(for: gtin) }
        }
        let app = try buildApplication(
            holder: holder,
            configuration: configuration,
            logger: logger, metrics: metrics, reloader: reloader, reports: reports
        )
        let hangup = reloader.reloadOnHangup()
        defer { hangup.cancel() }
        let pulling = puller.map { puller in
            Task { [every, logger] in await Self.pullRepeatedly(puller, every: every.seconds, logger: logger, reloader: reloader)
            }
        }
        defer { pulling?.cancel() }
        logger.info(
            "serving",
            metadata: [
                "store": "\(path)", "admin_reload": "\(token == nil ? "disabled" : "enabled")",
                "cors": "\(corsOrigins.isEmpty ? "off" : corsOrigins.joined(separator: " "))",
                "pull": "\(pull.map { "\($0) every \(every)" } ?? "off")",
            ])
        try await app.runService()
    }

    /// Pulls every `seconds`, the first time after a random part of the interval so that many
    /// kiosks started together do not pull together. Pulls start on a fixed cadence (not a fixed
    /// pause after the last one ended), so a new snapshot is pulled within one interval.
    static func pullRepeatedly(_ puller: SnapshotPuller, every seconds: Int, logger: Logger, reloader: StoreReloader) async {
        let clock = ContinuousClock()
        let interval = Duration.seconds(seconds)
        var next = clock.now + .milliseconds(Int.random(in: 0..<(seconds * 1000)))
        while !Task.isCancelled {
            do { try await Task.sleep(until: next, clock: clock) } catch { return }
            await pullOnce(puller, logger: logger, reloader: reloader)
            next += interval
            if next < clock.now { next = clock.now + interval }  // a pull longer than the interval
        }
    }

    /// One pull; an installed snapshot is reloaded (when serving), every failure is logged and the store in use kept.
    static func pullOnce(_ puller: SnapshotPuller, logger: Logger, reloader: StoreReloader?) async {
        do {
            let outcome = try await puller.pull()
            switch outcome {
            case .notModified: logger.debug("snapshot not modified", metadata: ["url": "\(puller.baseURL)"])
            case .current(let version): logger.debug("snapshot current", metadata: ["data_version": "\(version)"])
            case .installed:
                logger.notice(
                    "snapshot pulled",
                    metadata: [
                        "url": "\(puller.baseURL)", "outcome": "\(outcome.sentence(storePath: puller.installer.storePath))",
                    ])
                _ = try reloader?.reload(trigger: "pull")
            }
        } catch {
            logger.error(
                "snapshot pull failed; still answering from the store in use",
                metadata: ["url": "\(puller.baseURL)", "error": "\(error)"])
        }
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
