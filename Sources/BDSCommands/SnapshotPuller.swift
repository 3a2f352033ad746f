import AsyncHTTPClient
import BDSStore
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// Downloads the signed snapshot published at a base URL and installs it when it is newer.
///
/// One pull: `manifest.json` with a conditional GET (the ETag, else the Last-Modified date, of the
/// last manifest that was installed or found current is kept in `STORE.pull-etag`), then its
/// signature, then, only for a newer data version, the store file streamed to a file beside the
/// live store. `SnapshotInstaller`
/// checks and swaps; a failure at any step leaves the live store as it was.
struct SnapshotPuller: Sendable {
    enum Outcome: Sendable, Equatable {
        /// 304: the manifest has not changed since the last pull.
        case notModified
        /// The published data version is the one in use.
        case current(Int64)
        case installed(from: Int64?, to: Int64)
    }

    let baseURL: String
    let installer: SnapshotInstaller
    let logger: Logger
    var client: HTTPClient = .shared
    /// The manifest and its signature are small; a larger answer is not a manifest.
    static let maxManifestBytes = 4 << 20

    init(url: String, installer: SnapshotInstaller, logger: Logger) {
        baseURL = url.hasSuffix("/") ? url : url + "/"
        self.installer = installer
        self.logger = logger
    }

    /// The validators of the last manifest installed or found current: the ETag, else the Last-Modified date.
    var validatorPath: String { installer.storePath + ".pull-etag" }

    func pull() async throws -> Outcome {
        installer.removeStaleDownloads()
        let conditional = FileManager.default.fileExists(atPath: installer.storePath)
        let fetched: (manifest: SnapshotManifest, validator: Validator?)
        do {
            guard let first = try await fetchVerifiedManifest(conditional: conditional) else { return .notModified }
            fetched = first
        } catch SnapshotError.signature(let reason) {
            // A manifest and a signature read across a publication belong to two releases; both are
            // read again once, unconditionally, before the pull is refused.
            logger.info("snapshot signature did not match; reading the manifest again", metadata: ["reason": "\(reason)"])
            try await Task.sleep(for: .seconds(1))
            guard let again = try await fetchVerifiedManifest(conditional: false) else {
                throw SnapshotError.download("\(baseURL)\(SnapshotManifest.fileName) answered 304 to an unconditional request")
            }
            fetched = again
        }
        let manifest = fetched.manifest
        let before = installer.currentDataVersion
        guard try installer.isNewer(manifest) else {
            remember(fetched.validator)
            return .current(manifest.dataVersion)
        }
        let directory = (installer.storePath as NSString).deletingLastPathComponent
        if !directory.isEmpty { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        let downloaded = installer.downloadPath
        try await download(baseURL + manifest.store.file, to: downloaded, expecting: manifest.store.bytes)
        try installer.install(downloaded, manifest: manifest)
        remember(fetched.validator)
        return .installed(from: before, to: manifest.dataVersion)
    }

    /// A cache validator: `ETag` sent back as `If-None-Match`, or `Last-Modified` as `If-Modified-Since`.
    struct Validator {
        var header: String
        var value: String

        init?(_ headers: HTTPHeaders) {
            if let etag = headers.first(name: "ETag") {
                (header, value) = ("If-None-Match", etag)
            } else if let date = headers.first(name: "Last-Modified") {
                (header, value) = ("If-Modified-Since", date)
            } else {
                return nil
            }
        }

        init?(line: String) {
            let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            guard parts.count == 2, ["If-None-Match", "If-Modified-Since"].contains(parts[0]), !parts[1].isEmpty else {
                return nil
            }
            (header, value) = (parts[0], parts[1])
        }

        var line: String { "\(header): \(value)\n" }
    }

    /// The manifest, verified against its signature; nil when the server says it has not changed.
    func fetchVerifiedManifest(conditional: Bool) async throws -> (manifest: SnapshotManifest, validator: Validator?)? {
        let manifestURL = baseURL + SnapshotManifest.fileName
        var request = HTTPClientRequest(url: manifestURL)
        if conditional, let line = try? String(contentsOfFile: validatorPath, encoding: .utf8),
            let validator = Validator(line: line)
        {
            request.headers.add(name: validator.header, value: validator.value)
        }
        let response = try await execute(request, what: manifestURL)
        if response.status == .notModified { return nil }
        guard response.status == .ok else { throw SnapshotError.download("\(manifestURL) answered \(response.status.code)") }
        let manifestBytes = Data(try await collect(response, what: manifestURL).readableBytesView)

        let signatureURL = baseURL + SnapshotManifest.signatureFileName
        let signatureResponse = try await execute(HTTPClientRequest(url: signatureURL), what: signatureURL)
        let signature: String?
        switch signatureResponse.status {
        case .ok: signature = String(buffer: try await collect(signatureResponse, what: signatureURL))
        case .notFound: signature = nil
        default: throw SnapshotError.download("\(signatureURL) answered \(signatureResponse.status.code)")
        }
        let manifest = try installer.verifiedManifest(manifestBytes, signature: signature, from: manifestURL)
        return (manifest, Validator(response.headers))
    }

    func remember(_ validator: Validator?) {
        if let validator {
            try? validator.line.write(toFile: validatorPath, atomically: true, encoding: .utf8)
        } else {
            unlink(validatorPath)
        }
    }

    func execute(_ request: HTTPClientRequest, what url: String) async throws -> HTTPClientResponse {
        do {
            return try await client.execute(request, timeout: .seconds(60), logger: logger)
        } catch {
            throw SnapshotError.download("\(url): \(error)")
        }
    }

    func collect(_ response: HTTPClientResponse, what url: String) async throws -> ByteBuffer {
        do {
            return try await response.body.collect(upTo: Self.maxManifestBytes)
        } catch {
            throw SnapshotError.download("\(url): \(error)")
        }
    }

    /// Streams the store file to `path`, never more than the manifest's size; a broken transfer removes the partial file.
    func download(_ url: String, to path: String, expecting bytes: Int64) async throws {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Accept-Encoding", value: "identity")
        let response = try await execute(request, what: url)
        guard response.status == .ok else { throw SnapshotError.download("\(url) answered \(response.status.code)") }
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw SnapshotError.download("cannot write \(path)")
        }
        do {
            defer { try? handle.close() }
            var written: Int64 = 0
            for try await chunk in response.body {
                written += Int64(chunk.readableBytes)
                guard written <= bytes else {
                    throw SnapshotError.damaged(file: url, reason: "longer than the \(bytes) bytes the manifest says")
                }
                try handle.write(contentsOf: Data(chunk.readableBytesView))
            }
            guard written == bytes else {
                throw SnapshotError.download("\(url): the transfer ended after \(written) of \(bytes) bytes")
            }
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            if let error = error as? SnapshotError { throw error }
            throw SnapshotError.download("\(url): the transfer broke off (\(error))")
        }
    }
}
