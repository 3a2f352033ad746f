import Crypto
public import Foundation
import GRDB

/// Writes a signed snapshot of a store into a publishing folder: `store-VERSION.sqlite`,
/// `manifest.json` and `manifest.json.minisig`.
///
/// The store is copied and the copy stamped with its data version and creation time (meta
/// `data_version`, `snapshot_created_at`), so an installed snapshot says what it is without its
/// manifest. Files appear by rename in the order a puller needs them: the store file, then the
/// signature, then the manifest; the previous version's store file is kept for pullers that read
/// the old manifest a moment ago, older ones are removed.
public enum SnapshotPublisher {
    public static func create(
        store storePath: String, outDirectory: String, key: MinisignSecretKey, dataVersion requested: Int64? = nil,
        now: Date = Date()
    ) throws -> SnapshotManifest {
        try FileManager.default.createDirectory(atPath: outDirectory, withIntermediateDirectories: true)
        let manifestPath = outDirectory + "/" + SnapshotManifest.fileName
        let previous = FileManager.default.contents(atPath: manifestPath).flatMap { try? SnapshotManifest(text: $0) }
        let version = requested ?? ((previous?.dataVersion ?? 0) + 1)
        guard version > 0 else { throw SnapshotError.publish("the data version must be positive") }
        if let previous, version <= previous.dataVersion {
            throw SnapshotError.publish(
                "data version \(version) is not above the published \(previous.dataVersion); pullers would refuse it"
            )
        }
        let source = try Store(path: storePath)  // refuses a missing or unfinished store
        let summary = try source.summary()
        let createdAt = ISO8601DateFormatter().string(from: now)

        let fileName = "store-\(version).sqlite"
        let temporary = outDirectory + "/.\(fileName).writing-\(getpid())"
        try? FileManager.default.removeItem(atPath: temporary)
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        try FileManager.default.copyItem(atPath: storePath, toPath: temporary)
        try stamp(temporary, version: version, createdAt: createdAt)
        let (sha256, bytes) = try SnapshotFile.digest(of: temporary)

        let manifest = SnapshotManifest(
            format: SnapshotManifest.currentFormat, dataVersion: version, createdAt: createdAt,
            store: .init(file: fileName, sha256: sha256, bytes: bytes), counts: summary.counts,
            sources: summary.sources.map {
                .init(id: $0.id, name: $0.name, url: $0.url, retrieved: $0.retrieved, sha256: $0.sha256, records: $0.records)
            }
        )
        let manifestBytes = try manifest.encoded()
        let signature = try MinisignSignature.sign(manifestBytes, with: key, trustedComment: manifest.trustedComment)

        try place(temporary, at: outDirectory + "/" + fileName)
        try write(Data(signature.fileText.utf8), to: outDirectory + "/" + SnapshotManifest.signatureFileName)
        try write(manifestBytes, to: manifestPath)
        removeOldStoreFiles(in: outDirectory, keeping: [fileName, previous?.store.file].compactMap { $0 })
        return manifest
    }

    /// Records the snapshot's version and time in the copy's meta table.
    static func stamp(_ path: String, version: Int64, createdAt: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES ('data_version', ?)", arguments: ["\(version)"])
            try db.execute(
                sql: "INSERT OR REPLACE INTO meta (key, value) VALUES ('snapshot_created_at', ?)", arguments: [createdAt])
        }
        try queue.close()
    }

    static func place(_ temporary: String, at path: String) throws {
        try StoreBuild.sync(temporary)
        guard rename(temporary, path) == 0 else {
            throw SnapshotError.publish("cannot move \(temporary) to \(path): \(String(cString: strerror(errno)))")
        }
    }

    static func write(_ data: Data, to path: String) throws {
        let temporary =
            (path as NSString).deletingLastPathComponent + "/." + (path as NSString).lastPathComponent + ".writing-\(getpid())"
        try data.write(to: URL(fileURLWithPath: temporary))
        try place(temporary, at: path)
    }

    static func removeOldStoreFiles(in directory: String, keeping: [String]) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in names where name.hasPrefix("store-") && name.hasSuffix(".sqlite") && !keeping.contains(name) {
            try? FileManager.default.removeItem(atPath: directory + "/" + name)
        }
    }
}

/// The SHA-256 and size of a file, read in 1 MiB chunks.
public enum SnapshotFile {
    public static func digest(of path: String) throws -> (sha256: String, bytes: Int64) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw SnapshotError.damaged(file: path, reason: "cannot be opened")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        var bytes: Int64 = 0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
            bytes += Int64(chunk.count)
        }
        return (hasher.finalize().map { String(format: "%02x", $0) }.joined(), bytes)
    }
}
