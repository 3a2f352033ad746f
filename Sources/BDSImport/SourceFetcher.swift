import BDSCore
import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Downloads http(s) sources into a cache folder beside the store, with conditional GETs.
///
/// A download lands in `ID.download` and replaces the cached `ID.data` only when `commit` is
/// called, after the store built from it was swapped in: a failed refresh keeps the old copy.
public struct SourceFetcher: Sendable {
    public var cacheDirectory: String
    /// Longest wait for the server to answer or send more bytes.
    public var idleTimeout: TimeInterval = 30
    /// Longest a whole download may take.
    public var maxDuration: TimeInterval = 3 * 3600

    public init(cacheDirectory: String) {
        self.cacheDirectory = cacheDirectory
    }

    public enum Outcome: String, Sendable, Codable {
        case downloaded
        /// The server said the cached copy is current (HTTP 304).
        case notModified = "not-modified"
    }

    public struct Fetched: Sendable {
        public var sourceID: String
        public var url: String
        /// The file to build from: the new download, or the cached copy.
        public var path: String
        public var outcome: Outcome
        var meta: CacheMeta
    }

    struct CacheMeta: Codable, Sendable {
        var url: String
        var etag: String?
        var lastModified: String?
        var fetchedAt: String
    }

    public func cachedPath(for id: String) -> String { cacheDirectory + "/\(id).data" }
    func downloadPath(for id: String) -> String { cacheDirectory + "/\(id).download" }
    func metaPath(for id: String) -> String { cacheDirectory + "/\(id).json" }

    /// The cached copy of a source, if one was ever fetched.
    public func cached(_ id: String) -> String? {
        FileManager.default.fileExists(atPath: cachedPath(for: id)) ? cachedPath(for: id) : nil
    }

    public func fetch(id: String, url: String) async throws -> Fetched {
        try FileManager.default.createDirectory(atPath: cacheDirectory, withIntermediateDirectories: true)
        guard let target = URL(string: url), let scheme = target.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            throw ImportError(file: url, message: "only http(s) URLs can be fetched")
        }
        let previous = cached(id) != nil ? loadMeta(id) : nil
        var request = URLRequest(url: target)
        request.timeoutInterval = idleTimeout
        if let previous, previous.url == url {
            if let etag = previous.etag { request.setValue(etag, forHTTPHeaderField: "If-None-Match") }
            if let lm = previous.lastModified { request.setValue(lm, forHTTPHeaderField: "If-Modified-Since") }
        }
        let config = URLSessionConfiguration.ephemeral
        config.timeoutIntervalForRequest = idleTimeout
        config.timeoutIntervalForResource = maxDuration
        config.requestCachePolicy = .reloadIgnoringLocalCacheData
        let session = URLSession(configuration: config)
        defer { session.finishTasksAndInvalidate() }
        let destination = downloadPath(for: id)
        let scratch = try ScratchFiles.DownloadDirectory(in: cacheDirectory)
        defer { scratch.restore() }
        let response: HTTPURLResponse = try await withCheckedThrowingContinuation { continuation in
            let task = session.downloadTask(with: request) { location, response, error in
                if let error {
                    continuation.resume(throwing: ImportError(file: url, message: "download failed: \(describe(error))"))
                    return
                }
                guard let http = response as? HTTPURLResponse else {
                    continuation.resume(throwing: ImportError(file: url, message: "no HTTP response"))
                    return
                }
                if http.statusCode == 200, let location {
                    // The temporary file is removed when this handler returns: move it now.
                    unlink(destination)
                    do {
                        try FileManager.default.moveItem(atPath: location.path, toPath: destination)
                    } catch {
                        continuation.resume(throwing: ImportError(file: url, message: "cannot keep the download: \(error.localizedDescription)"))
                        return
                    }
                }
                continuation.resume(returning: http)
            }
            task.resume()
        }
        let now = ISO8601DateFormatter().string(from: Date())
        switch response.statusCode {
        case 200:
            let meta = CacheMeta(
                url: url, etag: response.value(forHTTPHeaderField: "ETag"),
                lastModified: response.value(forHTTPHeaderField: "Last-Modified"), fetchedAt: now
            )
            return Fetched(sourceID: id, url: url, path: destination, outcome: .downloaded, meta: meta)
        case 304:
            guard let previous, let path = cached(id) else {
                throw ImportError(file: url, message: "the server answered 304 Not Modified but there is no cached copy")
            }
            return Fetched(sourceID: id, url: url, path: path, outcome: .notModified, meta: previous)
        default:
            throw ImportError(file: url, message: "the server answered HTTP \(response.statusCode)")
        }
    }

    /// A transfer error in words: Foundation on Linux describes most of them only by their code.
    func describe(_ error: any Error) -> String {
        let seconds = idleTimeout == idleTimeout.rounded() ? String(Int(idleTimeout)) : String(idleTimeout)
        let ns = error as NSError
        let code = (error as? URLError)?.code ?? (ns.domain == NSURLErrorDomain ? URLError.Code(rawValue: ns.code) : nil)
        switch code {
        case .timedOut?:
            return "timed out: the server sent nothing for \(seconds) s (`bdscheck refresh --timeout` sets the limit)"
        case .httpTooManyRedirects?:
            // Foundation reports a redirect to a non-http(s) URL (file:, ftp:) the same way, and never follows it.
            return "too many HTTP redirects, or a redirect to a URL that is not http(s); neither is followed"
        case .cannotConnectToHost?: return "cannot connect to the server (connection refused)"
        case .cannotFindHost?, .dnsLookupFailed?: return "cannot find the server's host name"
        case .networkConnectionLost?: return "the connection was closed before the download ended"
        case .notConnectedToInternet?: return "no network connection"
        case .unsupportedURL?: return "the URL (or a redirect's target) is not an http(s) URL"
        case .secureConnectionFailed?, .serverCertificateUntrusted?, .serverCertificateHasBadDate?,
             .serverCertificateHasUnknownRoot?, .serverCertificateNotYetValid?:
            return "the secure connection failed (TLS certificate or handshake)"
        default: return error.localizedDescription
        }
    }

    /// Makes a successful download the cached copy (call after the new store is in place).
    public func commit(_ fetched: Fetched) throws {
        if fetched.outcome == .downloaded {
            guard rename(fetched.path, cachedPath(for: fetched.sourceID)) == 0 else {
                throw ImportError(file: fetched.path, message: "cannot keep the download: \(String(cString: strerror(errno)))")
            }
        }
        let data = try JSONEncoder().encode(fetched.meta)
        try data.write(to: URL(fileURLWithPath: metaPath(for: fetched.sourceID)), options: .atomic)
    }

    /// Removes an uncommitted download (after a failed refresh).
    public func discard(_ fetched: Fetched) {
        if fetched.outcome == .downloaded { unlink(fetched.path) }
    }

    func loadMeta(_ id: String) -> CacheMeta? {
        guard let data = FileManager.default.contents(atPath: metaPath(for: id)) else { return nil }
        return try? JSONDecoder().decode(CacheMeta.self, from: data)
    }
}
