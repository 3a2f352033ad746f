import AsyncHTTPClient
import BDSCore
public import Foundation
public import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// Downloads http(s) sources into a cache folder beside the store, with conditional GETs, and keeps
/// copies of local files given with `refresh --file` there too (see `KeptCopy`).
///
/// A download streams into this process's scratch folder in the cache (constant memory), becomes
/// `ID.download` when complete, and replaces the cached `ID.data` only when `commit` is called,
/// after the store built from it was swapped in: a failed refresh keeps the old copy. A local
/// file is staged the same way (`stageLocalCopy`).
///
/// All downloads of one fetcher share one `HTTPClient`; call `shutdown()` once when done.
public struct SourceFetcher: Sendable {
    public var cacheDirectory: String
    /// Longest wait for the server to connect, answer or send more bytes.
    public let idleTimeout: TimeInterval
    /// Longest a whole download may take.
    public let maxDuration: TimeInterval
    /// Redirects followed per download; a redirect back to a URL already visited stops at once.
    public static let maxRedirects = 10
    let client: HTTPClient
    let logger: Logger

    public init(
        cacheDirectory: String, idleTimeout: TimeInterval = 30, maxDuration: TimeInterval = 3 * 3600,
        logger: Logger = Logger(label: "bdscheck.fetch")
    ) {
        self.cacheDirectory = cacheDirectory
        self.idleTimeout = idleTimeout
        self.maxDuration = maxDuration
        self.logger = logger
        let idle = TimeAmount.nanoseconds(Int64(idleTimeout * 1e9))
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .follow(max: Self.maxRedirects, allowCycles: false),
            timeout: .init(connect: idle, read: idle),
            decompression: .disabled  // a .gz source is kept as sent and read by its importer
        )
        // A refused connection is an answer: report it instead of retrying until the timeout.
        configuration.connectionPool.retryConnectionEstablishment = false
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Ends the shared client's connections; every fetcher must be shut down once, after its last fetch.
    public func shutdown() async {
        do {
            try await client.shutdown()
        } catch {
            logger.debug("HTTP client shutdown", metadata: ["error": "\(error)"])
        }
    }

    public enum Outcome: String, Sendable, Codable {
        case downloaded
        /// The server said the cached copy is current (HTTP 304).
        case notModified = "not-modified"
        /// A local file, copied into the cache (`refresh --file`).
        case copied
    }

    /// A staged or current copy of a source, and what its meta file will say once committed.
    public struct Fetched: Sendable {
        public var sourceID: String
        /// The URL downloaded, or the local file copied.
        public var url: String
        /// The file to build from: the new download or copy, or the cached copy.
        public var path: String
        public var outcome: Outcome
        public var meta: KeptCopy.Meta
    }

    /// The cache folder that belongs to the store at `storePath`: `sources/` beside it.
    public static func cacheDirectory(besideStore storePath: String) -> String {
        (storePath as NSString).deletingLastPathComponent + "/sources"
    }

    /// Where a source's kept copy (downloaded, or copied with `--file`) is, in `cacheDirectory`.
    public static func cachedPath(in cacheDirectory: String, for id: String) -> String { cacheDirectory + "/\(id).data" }

    public func cachedPath(for id: String) -> String { Self.cachedPath(in: cacheDirectory, for: id) }
    func downloadPath(for id: String) -> String { cacheDirectory + "/\(id).download" }
    func metaPath(for id: String) -> String { cacheDirectory + "/\(id).json" }

    /// The cached copy of a source, if one was ever fetched.
    public func cached(_ id: String) -> String? {
        FileManager.default.fileExists(atPath: cachedPath(for: id)) ? cachedPath(for: id) : nil
    }

    /// Downloads `url` into `ID.download`; with `conditional`, asks the server whether the kept
    /// copy fetched from the same URL is still current (an HTTP 304 then builds from it).
    public func fetch(id: String, url: String, conditional: Bool = true) async throws -> Fetched {
        try FileManager.default.createDirectory(atPath: cacheDirectory, withIntermediateDirectories: true)
        guard let target = URL(string: url), let scheme = target.scheme?.lowercased(), scheme == "http" || scheme == "https"
        else {
            throw ImportError(file: url, message: "only http(s) URLs can be fetched")
        }
        // Only a copy downloaded from this URL can be asked about (not a local copy, nor an older URL's).
        let previous =
            conditional && cached(id) != nil ? loadMeta(id).flatMap { $0.origin == .fetched && $0.url == url ? $0 : nil } : nil
        var request = try HTTPClient.Request(url: target)
        request.headers.replaceOrAdd(name: "User-Agent", value: Self.userAgent)
        if let previous {
            if let etag = previous.etag { request.headers.replaceOrAdd(name: "If-None-Match", value: etag) }
            if let lm = previous.lastModified { request.headers.replaceOrAdd(name: "If-Modified-Since", value: lm) }
        }
        let scratch = try ScratchFiles.DownloadDirectory(in: cacheDirectory)
        defer { scratch.remove() }
        let partial = scratch.path + "/\(id).part"
        let progress: FileDownloadDelegate.Progress
        do {
            let delegate = try FileDownloadDelegate(path: partial, pool: nil)
            let deadline = NIODeadline.now() + .nanoseconds(Int64(maxDuration * 1e9))
            progress = try await client.execute(request: request, delegate: delegate, deadline: deadline, logger: logger)
                .futureResult.get()
        } catch {
            throw ImportError(file: url, message: "download failed: \(describe(error))")
        }
        let head = progress.head
        logger.debug(
            "fetched",
            metadata: [
                "source": "\(id)", "status": "\(head.status.code)", "bytes": "\(progress.receivedBytes)",
                "redirects": "\(max(0, progress.history.count - 1))",
            ])
        let now = ISO8601DateFormatter().string(from: Date())
        switch head.status.code {
        case 200:
            // An empty body writes no file.
            if !FileManager.default.fileExists(atPath: partial) {
                _ = FileManager.default.createFile(atPath: partial, contents: nil)
            }
            let destination = downloadPath(for: id)
            guard rename(partial, destination) == 0 else {
                throw ImportError(file: url, message: "cannot keep the download: \(String(cString: strerror(errno)))")
            }
            let meta = KeptCopy.Meta(
                origin: .fetched, url: url, etag: head.headers.first(name: "ETag"),
                lastModified: head.headers.first(name: "Last-Modified"), fetchedAt: now
            )
            return Fetched(sourceID: id, url: url, path: destination, outcome: .downloaded, meta: meta)
        case 304:
            guard let previous, let path = cached(id) else {
                throw ImportError(file: url, message: "the server answered 304 Not Modified but there is no cached copy")
            }
            return Fetched(sourceID: id, url: url, path: path, outcome: .notModified, meta: previous)
        case 300..<400:
            // The client follows http(s) redirects only: one that is left is to another scheme (file:, ftp:).
            throw ImportError(file: url, message: "download failed: \(Self.redirectNotFollowed)")
        default:
            throw ImportError(file: url, message: "the server answered HTTP \(head.status.code)")
        }
    }

    /// Sent with every download: some sources (Wikidata's query service among them) refuse
    /// requests without a User-Agent that says what is asking.
    public static let userAgent = "bdscheck/\(BDSCheckVersion.string) (data refresh; offline boycott-listing checker)"

    static let redirectNotFollowed = "too many HTTP redirects, or a redirect to a URL that is not http(s); neither is followed"

    /// A transfer error in words, with what the person can do about it where there is something.
    func describe(_ error: any Error) -> String {
        let seconds = idleTimeout == idleTimeout.rounded() ? String(Int(idleTimeout)) : String(idleTimeout)
        if let error = error as? HTTPClientError {
            switch error {
            case .readTimeout, .connectTimeout, .getConnectionFromPoolTimeout:
                return "timed out: the server sent nothing for \(seconds) s (`bdscheck refresh --timeout` sets the limit)"
            case .deadlineExceeded:
                return "the download took longer than \(Int(maxDuration)) s in all"
            case .redirectLimitReached, .redirectCycleDetected:
                return Self.redirectNotFollowed
            case .remoteConnectionClosed:
                return "the connection was closed before the download ended"
            case .invalidURL, .emptyHost, .emptyScheme:
                return "the URL (or a redirect's target) is not an http(s) URL"
            case .tlsHandshakeTimeout:
                return "the secure connection failed (TLS handshake timed out)"
            default:
                return "\(error)"
            }
        }
        if let error = error as? NIOConnectionError {
            if error.connectionErrors.isEmpty { return "cannot find the server's host name" }
            return error.connectionErrors.contains { ($0.error as? IOError)?.errnoCode == ECONNREFUSED }
                ? "cannot connect to the server (connection refused)"
                : "cannot connect to the server (\(error.connectionErrors.map { "\($0.error)" }.joined(separator: "; ")))"
        }
        if let error = error as? IOError {
            switch error.errnoCode {
            case ECONNREFUSED: return "cannot connect to the server (connection refused)"
            case ECONNRESET, EPIPE: return "the connection was closed before the download ended"
            case ENETUNREACH, EHOSTUNREACH: return "no network connection"
            default: return "\(error)"
            }
        }
        if error is NIOSSLError || error is BoringSSLError {
            return "the secure connection failed (TLS certificate or handshake)"
        }
        if error is SocketAddressError {
            return "cannot find the server's host name"
        }
        return "\(error)"
    }

    /// Makes a successful download or local copy the kept copy (call after the new store is in place).
    public func commit(_ fetched: Fetched) throws {
        if fetched.outcome != .notModified {
            guard rename(fetched.path, cachedPath(for: fetched.sourceID)) == 0 else {
                throw ImportError(file: fetched.path, message: "cannot keep the download: \(String(cString: strerror(errno)))")
            }
        }
        let data = try JSONEncoder().encode(fetched.meta)
        try data.write(to: URL(fileURLWithPath: metaPath(for: fetched.sourceID)), options: .atomic)
    }

    /// Removes an uncommitted download or local copy (after a failed refresh, or a dry run).
    public func discard(_ fetched: Fetched) {
        if fetched.outcome != .notModified { unlink(fetched.path) }
    }

    func loadMeta(_ id: String) -> KeptCopy.Meta? {
        guard let data = FileManager.default.contents(atPath: metaPath(for: id)) else { return nil }
        return try? JSONDecoder().decode(KeptCopy.Meta.self, from: data)
    }
}
