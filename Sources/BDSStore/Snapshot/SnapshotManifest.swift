public import Foundation

/// What a published snapshot holds, signed as a whole: `manifest.json` beside `manifest.json.minisig`.
///
/// The signature covers these bytes only; the store file is tied to them by its SHA-256 and size.
/// `dataVersion` only ever grows: a puller refuses a manifest whose version is not above the one
/// it serves, so an old (validly signed) snapshot cannot be replayed.
public struct SnapshotManifest: Codable, Sendable, Equatable {
    /// The manifest layout; a puller refuses a format it does not know.
    public static let currentFormat = 1
    public static let fileName = "manifest.json"
    public static let signatureFileName = "manifest.json.minisig"

    public struct StoreFile: Codable, Sendable, Equatable {
        /// The store file's name beside the manifest (`store-VERSION.sqlite`).
        public var file: String
        public var sha256: String
        public var bytes: Int64
    }

    public struct Source: Codable, Sendable, Equatable {
        public var id: String
        public var name: String
        public var url: String?
        public var retrieved: String?
        public var sha256: String?
        public var records: Int
    }

    public var format: Int
    public var dataVersion: Int64
    /// ISO 8601, UTC.
    public var createdAt: String
    public var store: StoreFile
    public var counts: [String: Int]
    public var sources: [Source]

    public init(text data: Data) throws {
        do {
            self = try JSONDecoder().decode(SnapshotManifest.self, from: data)
        } catch {
            throw SnapshotError.badManifest("\(error)")
        }
        guard format == Self.currentFormat else { throw SnapshotError.unsupportedFormat(format) }
        guard !store.file.contains("/"), !store.file.hasPrefix("."), !store.file.isEmpty else {
            throw SnapshotError.badManifest("the store file name \(store.file) is not a plain file name")
        }
    }

    init(format: Int, dataVersion: Int64, createdAt: String, store: StoreFile, counts: [String: Int], sources: [Source]) {
        self.format = format
        self.dataVersion = dataVersion
        self.createdAt = createdAt
        self.store = store
        self.counts = counts
        self.sources = sources
    }

    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self) + Data("\n".utf8)
    }

    /// The trusted comment of the manifest's signature (minisign prints it after verifying).
    var trustedComment: String {
        "timestamp:\(Int(Date().timeIntervalSince1970))\tfile:\(Self.fileName)\thashed\tbdscheck data version \(dataVersion) of \(createdAt)"
    }
}

/// Why a snapshot was not published or not installed; the store in use is untouched in every case.
public enum SnapshotError: Error, CustomStringConvertible, Sendable {
    case unsigned(String)
    case signature(String)
    case badManifest(String)
    case unsupportedFormat(Int)
    case damaged(file: String, reason: String)
    case downgrade(offered: Int64, current: Int64)
    case download(String)
    case publish(String)

    public var description: String {
        switch self {
        case .unsigned(let where_): "refused: the snapshot at \(where_) has no signature (\(SnapshotManifest.signatureFileName))"
        case .signature(let reason): "refused: \(reason)"
        case .badManifest(let reason): "refused: the manifest cannot be read (\(reason))"
        case .unsupportedFormat(let f):
            "refused: manifest format \(f) is not known to this bdscheck (it reads \(SnapshotManifest.currentFormat)); upgrade bdscheck"
        case .damaged(let file, let reason): "refused: \(file) does not match its signed manifest (\(reason))"
        case .downgrade(let offered, let current):
            "refused: the snapshot's data version \(offered) is not above the version in use (\(current)); an older snapshot is never installed"
        case .download(let reason): "download failed: \(reason)"
        case .publish(let reason): "cannot publish the snapshot: \(reason)"
        }
    }
}
