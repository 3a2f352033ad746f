import BDSCore
import BDSStore
import Foundation
import Hummingbird

/// Liveness, readiness, metrics, the OpenAPI document and the admin reload.
struct OperationsRoutes<Context: RequestContext>: Sendable {
    let holder: StoreHolder
    let metrics: ServerMetrics
    let reloader: StoreReloader
    let adminToken: String?
    let openAPIDocument: ByteBuffer
    let maxDataAgeSeconds: Int?

    static var healthy: ByteBuffer { ByteBuffer(string: #"{"status":"ok"}"#) }

    func add(to router: Router<Context>) {
        let healthy = Self.healthy
        router.get("/healthz") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: healthy))
        }
        router.get("/readyz") { _, _ in try ready() }
        router.get("/metrics") { _, _ in try metricsText() }
        router.get("/openapi.yaml") { [openAPIDocument] _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"], body: .init(byteBuffer: openAPIDocument))
        }
        router.post("/v1/admin/reload") { request, _ in try reload(request) }
    }

    func ready() throws -> Response {
        let store = holder.current.store
        do {
            guard try store.meta("complete") == "1" else {
                return try JSONBody.encoded(
                    HealthAnswer(status: "not-ready", reason: "the store is not complete"), status: .serviceUnavailable)
            }
            let stamp = store.dataStamp
            let age = Self.ageSeconds(of: stamp)
            return try JSONBody.encoded(
                HealthAnswer(
                    status: "ready", builtAt: try store.meta("built_at"), dataVersion: stamp.version, dataDate: stamp.date,
                    dataAgeSeconds: age, stale: maxDataAgeSeconds.map { limit in age.map { $0 > limit } ?? true }
                )
            )
        } catch {
            return try JSONBody.encoded(HealthAnswer(status: "not-ready", reason: "\(error)"), status: .serviceUnavailable)
        }
    }

    func metricsText() throws -> Response {
        let opened = holder.current
        // The age is the data's: since the snapshot was made (pulled stores), else since the build.
        let age = Self.ageSeconds(of: opened.store.dataStamp).map(Double.init)
        var text = metrics.prometheusText(storeAgeSeconds: age, storeOpenedAt: opened.openedAt)
        text += """
            # HELP bdscheck_data_version The data version of the snapshot in use (0 for a store built locally).
            # TYPE bdscheck_data_version gauge
            bdscheck_data_version \(opened.store.dataStamp.version ?? 0)
            # HELP bdscheck_answer_cache_bytes Bytes held by barcode answers already made from the store in use (serve --answer-cache-mb).
            # TYPE bdscheck_answer_cache_bytes gauge
            bdscheck_answer_cache_bytes \(opened.answers.bytes)
            # HELP bdscheck_answer_cache_limit_bytes The budget of that cache.
            # TYPE bdscheck_answer_cache_limit_bytes gauge
            bdscheck_answer_cache_limit_bytes \(opened.answers.limitBytes)
            # HELP bdscheck_answer_cache_entries Barcode answers held.
            # TYPE bdscheck_answer_cache_entries gauge
            bdscheck_answer_cache_entries \(opened.answers.entries)
            # HELP bdscheck_answer_cache_requests_total Barcode requests answered from the cache (hit) or not (miss), since the store in use was opened.
            # TYPE bdscheck_answer_cache_requests_total counter
            bdscheck_answer_cache_requests_total{result="hit"} \(opened.answers.hits)
            bdscheck_answer_cache_requests_total{result="miss"} \(opened.answers.misses)

            """
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: text))
        )
    }

    func reload(_ request: Request) throws -> Response {
        try Self.requireAdmin(request, token: adminToken, disabled: "the admin endpoint is disabled")
        let opened: OpenedStore
        do {
            opened = try reloader.reload(trigger: "admin endpoint")
        } catch {
            throw APIError(.internalServerError, "reload failed (\(error)); still answering from the previous store")
        }
        return try JSONBody.encoded(
            ReloadAnswer(
                reloaded: true, path: opened.store.path, builtAt: try opened.store.meta("built_at"),
                openedAt: ISO8601DateFormatter().string(from: opened.openedAt)
            )
        )
    }

    /// Whole seconds since the data's date, nil when the store records none.
    static func ageSeconds(of stamp: DataStamp) -> Int? {
        guard let date = stamp.date.flatMap({ ISO8601DateFormatter().date(from: $0) }) else { return nil }
        return max(0, Int(Date().timeIntervalSince(date)))
    }

    /// Lets the request through only with the admin token: a 404 saying how to turn the feature on
    /// when the server has none (`disabled` says what is off), a 401 when the token is missing or wrong.
    static func requireAdmin(_ request: Request, token: String?, disabled: String) throws {
        guard let token else {
            throw APIError(.notFound, "\(disabled): start the server with BDSCHECK_ADMIN_TOKEN or --admin-token-file")
        }
        guard let given = bearerToken(request), constantTimeEqual(given, token) else {
            throw APIError(
                .unauthorized, "give the admin token as `Authorization: Bearer TOKEN`", headers: [.wwwAuthenticate: "Bearer"])
        }
    }

    static func bearerToken(_ request: Request) -> String? {
        guard let value = request.headers[.authorization] else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return parts[1].trimmingCharacters(in: .whitespaces)
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        var difference = UInt8(x.count == y.count ? 0 : 1)
        for i in 0..<max(x.count, y.count) {
            difference |= (i < x.count ? x[i] : 0) ^ (i < y.count ? y[i] : 0)
        }
        return difference == 0
    }
}
