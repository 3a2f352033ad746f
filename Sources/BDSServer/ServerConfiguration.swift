public import BDSCore
public import BDSStore

/// Everything `buildApplication` needs besides the store: where to listen, what to allow, how much to accept.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// Origins allowed to call the API from a browser page served elsewhere; empty turns CORS off.
    /// `["*"]` allows every origin.
    public var corsOrigins: [String]
    /// The bearer token for `POST /v1/admin/reload`; nil disables the endpoint.
    public var adminToken: String?
    /// Seconds the kiosk page shows an answer before it returns to "scan a product".
    public var kioskResetSeconds: Int
    public var limits: Limits
    /// Data older than this (seconds since the snapshot was made) is flagged stale in `/readyz` and on the kiosk page; nil never.
    public var maxDataAgeSeconds: Int?
    /// The address phones reach this server at (`https://kiosk.example.org`), for the kiosk's QR
    /// codes; nil: the page's own address.
    public var publicURL: String?
    /// With `serve --online`: asks a live source about a barcode the store holds no product for.
    public var liveLookup: (@Sendable (GTIN) async -> LiveLookupOutcome)?
    /// The language of the kiosk page, and of answers that ask for none (`serve --lang`); nil: English.
    public var defaultLanguage: String?

    public init(
        host: String = "127.0.0.1", port: Int = 8080, corsOrigins: [String] = [], adminToken: String? = nil,
        kioskResetSeconds: Int = 20, limits: Limits = Limits(), maxDataAgeSeconds: Int? = nil, publicURL: String? = nil,
        defaultLanguage: String? = nil
    ) {
        self.publicURL = publicURL
        self.defaultLanguage = defaultLanguage
        self.host = host
        self.port = port
        self.corsOrigins = corsOrigins
        self.adminToken = adminToken
        self.kioskResetSeconds = kioskResetSeconds
        self.limits = limits
        self.maxDataAgeSeconds = maxDataAgeSeconds
    }
}

/// Bounds on what one request may ask for. Each is documented in docs/HTTP.md and openapi.yaml.
public struct Limits: Sendable {
    /// Longest barcode or name, in characters.
    public var maxQueryLength: Int
    /// Most queries in one `POST /v1/lookup`.
    public var maxBatch: Int
    /// Largest request body, in bytes.
    public var maxBodyBytes: Int
    /// Most candidates `GET /v1/search` returns.
    public var maxSearchLimit: Int

    public init(
        maxQueryLength: Int = 200, maxBatch: Int = 100, maxBodyBytes: Int = 64 * 1024,
        maxSearchLimit: Int = SearchLimit.range.upperBound
    ) {
        self.maxQueryLength = maxQueryLength
        self.maxBatch = maxBatch
        self.maxBodyBytes = maxBodyBytes
        self.maxSearchLimit = maxSearchLimit
    }
}
