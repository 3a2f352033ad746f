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

    static var healthy: ByteBuffer { ByteBuffer(string: #"{"status":"ok"}"#) }

    func add(to router: Router<Context>) {
        let healthy = Self.healthy
        router.get("/healthz") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: healthy))
        }
        router.get("/readyz") { _, _ in try ready() }
        router.get("/metrics") { _, _ in try metricsText() }
        router.get("/openapi.yaml") { [openAPIDocument] _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"], body: .init(byteBuffer: openAPIDocument))
        }
        router.post("/v1/admin/reload") { request, _ in try reload(request) }
    }

    func ready() throws -> Response {
        let store = holder.current.store
        do {
            guard try store.meta("complete") == "1" else {
                return try JSONBody.encoded(HealthAnswer(status: "not-ready", reason: "the store is not complete"), status: .serviceUnavailable)
            }
            return try JSONBody.encoded(HealthAnswer(status: "ready", builtAt: try store.meta("built_at")))
        } catch {
            return try JSONBody.encoded(HealthAnswer(status: "not-ready", reason: "\(error)"), status: .serviceUnavailable)
        }
    }

    func metricsText() throws -> Response {
        let opened = holder.current
        let age = (try? opened.store.meta("built_at")).flatMap { $0 }
            .flatMap { ISO8601DateFormatter().date(from: $0) }
            .map { Date().timeIntervalSince($0) }
        let text = metrics.prometheusText(storeAgeSeconds: age, storeOpenedAt: opened.openedAt)
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: text))
        )
    }

    func reload(_ request: Request) throws -> Response {
        guard let adminToken else {
            throw APIError(.notFound, "the admin endpoint is disabled: start the server with BDSCHECK_ADMIN_TOKEN or --admin-token-file")
        }
        guard let given = Self.bearerToken(request), Self.constantTimeEqual(given, adminToken) else {
            throw APIError(.unauthorized, "give the admin token as `Authorization: Bearer TOKEN`", headers: [.wwwAuthenticate: "Bearer"])
        }
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
