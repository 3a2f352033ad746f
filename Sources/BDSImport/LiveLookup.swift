import AsyncHTTPClient
public import BDSCore
public import BDSStore
public import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// The opt-in live lookup (`--online`): a barcode the store holds no product for is looked up once
/// in the Open Food Facts API v2 (`GET /api/v2/product/CODE?fields=…`, a descriptive User-Agent, a
/// 2 s deadline), and the answer — found or not — is kept in the live cache for its expiry period.
/// Nothing is sent without `--online`; what is sent is the barcode alone (docs/HTTP.md, "Live lookup").
public final class LiveLookup: Sendable {
    public static let sourceName = "Open Food Facts"
    public static let defaultAPI = "https://world.openfoodfacts.org"
    /// The API's read limit per address (its usage policy: 15 product reads a minute).
    public static let perMinute = 15

    /// The sister databases a `product_type=all` read may be redirected to, by the product's type.
    static let sisters: [String: (name: String, site: String)] = [
        "food": ("Open Food Facts", "https://world.openfoodfacts.org"),
        "beauty": ("Open Beauty Facts", "https://world.openbeautyfacts.org"),
        "product": ("Open Products Facts", "https://world.openproductsfacts.org"),
        "petfood": ("Open Pet Food Facts", "https://world.openpetfoodfacts.org"),
    ]

    public let api: String
    public let timeout: TimeInterval
    /// The User-Agent the API's usage policy asks for, `AppName/Version (contact)`.
    public let userAgent: String
    let cache: LiveCache?
    let client: HTTPClient
    /// When the last reads were sent, for the per-minute limit.
    let sent = Mutex<[Date]>([])

    public init(api: String = LiveLookup.defaultAPI, timeout: TimeInterval = 2, contact: String? = nil, cache: LiveCache?) {
        self.api = api.hasSuffix("/") ? String(api.dropLast()) : api
        self.timeout = timeout
        userAgent =
            "bdscheck/\(BDSCheckVersion.string) (\(contact ?? "barcode checker; live lookups only when --online is given"))"
        self.cache = cache
        client = HTTPClient.shared
    }

    /// Whether one more read fits in the API's per-minute limit (and counts it when it does).
    func mayAsk(now: Date = Date()) -> Bool {
        sent.withLock { times in
            times.removeAll { now.timeIntervalSince($0) >= 60 }
            guard times.count < Self.perMinute else { return false }
            times.append(now)
            return true
        }
    }

    /// What the source says about `gtin`, from the cache when it has a current answer.
    public func outcome(for gtin: GTIN) async -> LiveLookupOutcome {
        if let kept = try? cache?.answer(for: gtin) { return kept }
        let outcome = await ask(gtin)
        try? cache?.keep(outcome, for: gtin)
        return outcome
    }

    /// The same, for a caller that is not async (the command line): waits at most `timeout`.
    public func outcomeWaiting(for gtin: GTIN) -> LiveLookupOutcome {
        if let kept = try? cache?.answer(for: gtin) { return kept }
        guard mayAsk() else { return Self.overLimit }
        let outcome: LiveLookupOutcome
        do {
            outcome = Self.read(try request(gtin).wait(), gtin: gtin, api: api)
        } catch {
            outcome = .unavailable(source: Self.sourceName, reason: Self.describe(error, timeout: timeout))
        }
        try? cache?.keep(outcome, for: gtin)
        return outcome
    }

    static let overLimit = LiveLookupOutcome.unavailable(
        source: sourceName, reason: "its limit of \(perMinute) product reads a minute was reached")

    func ask(_ gtin: GTIN) async -> LiveLookupOutcome {
        guard mayAsk() else { return Self.overLimit }
        do {
            return Self.read(try await request(gtin).get(), gtin: gtin, api: api)
        } catch {
            return .unavailable(source: Self.sourceName, reason: Self.describe(error, timeout: timeout))
        }
    }

    /// The code as Open Food Facts keys it: 13 digits for EAN-13 and UPC-A, 8 for EAN-8.
    static func code(_ gtin: GTIN) -> String { gtin.gtin13 ?? gtin.canonical }

    func request(_ gtin: GTIN) throws -> EventLoopFuture<HTTPClient.Response> {
        // product_type=all: a code of a sister database (cosmetics, other products) is redirected there.
        let url =
            "\(api)/api/v2/product/\(Self.code(gtin))?product_type=all&fields=code,product_name,brands,brand_owner,product_type"
        var request = try HTTPClient.Request(url: url)
        request.headers.replaceOrAdd(name: "User-Agent", value: userAgent)
        request.headers.replaceOrAdd(name: "Accept", value: "application/json")
        return client.execute(request: request, deadline: .now() + .milliseconds(Int64(timeout * 1000)))
    }

    /// Reads the API's answer: `status` 1 with a `product`, or `status` 0 with `status_verbose`
    /// (HTTP 404 today, 200 from older servers; "product not found", or "product found with a
    /// different product type: beauty" for a code that belongs to a sister database).
    static func read(_ response: HTTPClient.Response, gtin: GTIN, api: String) -> LiveLookupOutcome {
        let fetched = String(ISO8601DateFormatter().string(from: Date()).prefix(10))
        guard response.status == .ok || response.status == .notFound else {
            return .unavailable(source: sourceName, reason: "HTTP \(response.status.code)")
        }
        struct Answer: Decodable {
            struct Product: Decodable {
                var product_name: String?
                var brands: String?
                var brand_owner: String?
                var product_type: String?
            }
            var status: Int?
            var status_verbose: String?
            var product: Product?
        }
        guard let body = response.body, let answer = try? JSONDecoder().decode(Answer.self, from: Data(body.readableBytesView))
        else {
            return .unavailable(source: sourceName, reason: "an answer that is not the API's JSON (HTTP \(response.status.code))")
        }
        guard answer.status == 1, let product = answer.product else {
            return .notFound(
                source: sourceName, reason: answer.status_verbose ?? "product not found", fetched: fetched, cached: false)
        }
        func clean(_ s: String?) -> String? {
            guard let t = s?.trimmingCharacters(in: .whitespacesAndNewlines), !t.isEmpty else { return nil }
            return t
        }
        // Which database answered, from the product's own type (a redirected read lands on a sister).
        let sister = product.product_type.flatMap { sisters[$0] }
        let name = sister?.name ?? sourceName
        let site = api.contains("openfoodfacts.org") ? (sister?.site ?? "https://world.openfoodfacts.org") : api
        return .found(
            LiveProduct(
                name: clean(product.product_name), brands: clean(product.brands).map(LiveProduct.splitBrands) ?? [],
                brandOwner: clean(product.brand_owner), sourceName: name, sourceURL: "\(site)/product/\(code(gtin))",
                fetched: fetched), cached: false)
    }

    static func describe(_ error: any Error, timeout: TimeInterval) -> String {
        if let e = error as? HTTPClientError, e == .deadlineExceeded || e == .readTimeout || e == .connectTimeout {
            return "no answer within \(LinkPath.format(percent: timeout)) s"
        }
        return "\(error)"
    }
}
