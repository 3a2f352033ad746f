import BDSCore
public import Foundation
public import Logging

/// Checks a downloaded snapshot against its signed manifest and swaps it in over the store in use.
///
/// Every refusal happens before the swap, so the live store stays byte for byte as it was. The swap
/// is the build's own (`StoreBuild.swapIn`): the live store becomes `PATH.prev` (for `bdscheck
/// rollback`) and the new file is renamed over `PATH`, so a reader finds one whole store or the other.
/// One puller per store file: two at once could each pass the version check.
public struct SnapshotInstaller: Sendable {
    public var storePath: String
    public var trusted: [MinisignPublicKey]
    public var logger: Logger

    public init(storePath: String, trusted: [MinisignPublicKey], logger: Logger) {
        self.storePath = storePath
        self.trusted = trusted
        self.logger = logger
    }

    /// Where a download goes: beside the live store, so the swap is a rename within one file system.
    public var downloadPath: String { storePath + ".download-\(getpid())" }

    /// Removes downloads left by a puller that was killed mid-transfer.
    public func removeStaleDownloads() {
        let directory = (storePath as NSString).deletingLastPathComponent
        StaleFiles.remove(
            in: directory.isEmpty ? "." : directory, prefix: (storePath as NSString).lastPathComponent + ".download-")
    }

    /// The manifest, once its signature verified against a trusted key; `signature` nil means none was published.
    public func verifiedManifest(_ data: Data, signature: String?, from origin: String) throws -> SnapshotManifest {
        guard let signature, !signature.isEmpty else { throw SnapshotError.unsigned(origin) }
        do {
            try MinisignSignature(text: signature).verify(data, trusting: trusted)
        } catch let error as MinisignError {
            throw SnapshotError.signature("the manifest at \(origin): \(error.description)")
        }
        return try SnapshotManifest(text: data)
    }

    /// The data version of the store in use: nil without a store, 0 for one built here rather than pulled.
    public var currentDataVersion: Int64? {
        guard FileManager.default.fileExists(atPath: storePath) else { return nil }
        guard let store = try? Store(path: storePath) else { return 0 }
        return store.dataStamp.version ?? 0
    }

    /// Whether `manifest` is newer than the store in use; throws for an older one, false for the same.
    public func isNewer(_ manifest: SnapshotManifest) throws -> Bool {
        guard let current = currentDataVersion else { return true }
        if manifest.dataVersion == current { return false }
        guard manifest.dataVersion > current else {
            throw SnapshotError.downgrade(offered: manifest.dataVersion, current: current)
        }
        return true
    }

    /// Checks the downloaded file against the manifest, opens it as a store, and swaps it in.
    /// The downloaded file is consumed (renamed into place) or removed.
    public func install(_ downloaded: String, manifest: SnapshotManifest) throws {
        defer { try? FileManager.default.removeItem(atPath: downloaded) }
        let (sha256, bytes) = try SnapshotFile.digest(of: downloaded)
        guard bytes == manifest.store.bytes else {
            throw SnapshotError.damaged(
                file: manifest.store.file, reason: "\(bytes) bytes, the manifest says \(manifest.store.bytes)")
        }
        guard sha256 == manifest.store.sha256 else {
            throw SnapshotError.damaged(
                file: manifest.store.file, reason: "SHA-256 \(sha256), the manifest says \(manifest.store.sha256)")
        }
        let stamped: Int64?
        do {
            stamped = try Store(path: downloaded).dataStamp.version
        } catch {
            throw SnapshotError.damaged(file: manifest.store.file, reason: "\(error)")
        }
        guard stamped == manifest.dataVersion else {
            throw SnapshotError.damaged(
                file: manifest.store.file,
                reason: "the store says data version \(stamped.map(String.init) ?? "none"), the manifest \(manifest.dataVersion)"
            )
        }
        guard try isNewer(manifest) else { return }
        try StoreBuild(origin: "snapshot", inputs: [], logger: logger).swapIn(downloaded, at: storePath)
        logger.notice(
            "snapshot installed",
            metadata: ["path": "\(storePath)", "data_version": "\(manifest.dataVersion)", "created_at": "\(manifest.createdAt)"]
        )
    }
}
