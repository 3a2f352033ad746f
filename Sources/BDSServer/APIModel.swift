import BDSCore
public import BDSStore
import Foundation

/// `GET /v1/sources`: the `bdscheck sources --json` summary, plus the store file's identity.
public struct SourcesAnswer: Codable, Sendable {
    public var path: String
    public var builtAt: String?
    public var origin: String?
    public var counts: [String: Int]
    public var sources: [StoreSummary.Source]
    /// The last refresh's report in short, when one is kept beside the store.
    public var lastRefresh: StoreSummary.LastRefresh?
    /// Hex SHA-256 of the store file in use.
    public var sha256: String
    public var bytes: Int64
    /// When this server opened the store (ISO 8601); changes on reload.
    public var openedAt: String
}

/// `GET /healthz`, `GET /readyz`.
public struct HealthAnswer: Codable, Sendable {
    public var status: String
    public var builtAt: String?
    public var reason: String?
    /// The snapshot's data version (nil for a store built locally), its date and age in seconds.
    public var dataVersion: Int64?
    public var dataDate: String?
    public var dataAgeSeconds: Int?
    /// True when the data is older than `serve --max-data-age`; the server still answers.
    public var stale: Bool?
}

/// `POST /v1/admin/reload` answer.
public struct ReloadAnswer: Codable, Sendable {
    public var reloaded: Bool
    public var path: String
    public var builtAt: String?
    public var openedAt: String
}
