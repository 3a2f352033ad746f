import BDSStore
import Crypto
public import Foundation
import Hummingbird
import NIOCore
import NIOFoundationEssentialsCompat
import Synchronization

/// "This answer is wrong": `POST /v1/reports` takes a shopper's report into the reports database
/// beside the store; `GET /v1/reports` lists them for maintainers (admin token). `GET /v1/qr`
/// draws a QR code for a permalink or the report form, so the kiosk takes no typing.
struct ReportRoutes<Context: RemoteAddressRequestContext>: Sendable {
    let reports: ReportStore?
    let adminToken: String?
    let limiter: RateLimiter
    /// A report's JSON body is small: the fields' limits and their keys.
    static var maxBodyBytes: Int { 16 * 1024 }

    struct Incoming: Decodable {
        var query: String
        var level: String?
        var dataVersion: String?
        var message: String
        var contact: String?
    }

    struct ReportReceipt: Encodable {
        var id: Int64
        var status: String
    }

    struct ReportList: Encodable {
        var reports: [ReportStore.Report]
    }

    func add(to router: Router<Context>) {
        router.post("/v1/reports") { request, context in try await create(request, context: context) }
        router.get("/v1/reports") { request, _ in try list(request) }
        router.get("/v1/qr") { request, _ in try qr(request) }
    }

    func create(_ request: Request, context: Context) async throws -> Response {
        guard let reports else {
            throw APIError(.serviceUnavailable, "this server keeps no reports database")
        }
        // Counted per client without keeping the address: a keyed hash that lives as long as the process.
        let client = context.remoteAddress?.ipAddress ?? "unknown"
        if let retry = limiter.retryAfter(for: client) {
            throw APIError(
                .tooManyRequests,
                "too many reports from this address: at most \(limiter.limit) per \(Int(limiter.window)) s; try again in \(retry) s",
                headers: [.retryAfter: String(retry)])
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: Self.maxBodyBytes)
        } catch {
            throw APIError(.contentTooLarge, "a report body may be at most \(Self.maxBodyBytes) bytes")
        }
        let incoming: Incoming
        do {
            incoming = try JSONDecoder().decode(Incoming.self, from: Data(buffer: body))
        } catch {
            throw APIError(
                .badRequest,
                "send a JSON object {\"query\": …, \"message\": …} with optional level, dataVersion and contact (strings)")
        }
        do {
            let report = try reports.add(
                ReportStore.New(
                    query: incoming.query, level: incoming.level, dataVersion: incoming.dataVersion,
                    message: incoming.message, contact: incoming.contact))
            return try JSONBody.encoded(ReportReceipt(id: report.id, status: report.status), status: .created)
        } catch let error as ReportStore.ReportError {
            if error == .full { throw APIError(.serviceUnavailable, error.description) }
            throw APIError(.badRequest, error.description)
        }
    }

    func list(_ request: Request) throws -> Response {
        try OperationsRoutes<Context>.requireAdmin(
            request, token: adminToken, disabled: "listing reports needs the admin token, and this server has none")
        guard let reports else { throw APIError(.serviceUnavailable, "this server keeps no reports database") }
        let status = request.uri.queryParameters.get("status")
        guard status == nil || status == "open" || status == "resolved" else {
            throw APIError(.badRequest, "status is open or resolved")
        }
        return try JSONBody.encoded(ReportList(reports: try reports.list(status: status)))
    }

    func qr(_ request: Request) throws -> Response {
        guard let text = request.uri.queryParameters.get("text"), !text.isEmpty else {
            throw APIError(.badRequest, "give the text to encode as ?text=")
        }
        let code: QRCode
        do {
            code = try QRCode(text)
        } catch {
            throw APIError(.badRequest, "the text is too long for a QR code here (at most 213 bytes)")
        }
        return Response(
            status: .ok, headers: [.contentType: "image/svg+xml", .cacheControl: "public, max-age=86400"],
            body: .init(byteBuffer: ByteBuffer(string: code.svg())))
    }
}

/// At most `limit` requests per `window` seconds per client. Clients are told apart by a keyed
/// hash of their address with a key made at start, so no address is kept, in memory or on disk.
public final class RateLimiter: Sendable {
    let limit: Int
    let window: TimeInterval
    private let key: [UInt8] = (0..<32).map { _ in UInt8.random(in: .min ... .max) }
    private let seen = Mutex<[Data: [Date]]>([:])

    public init(limit: Int = 5, window: TimeInterval = 600) {
        self.limit = limit
        self.window = window
    }

    /// Nil when the client may go on (and counts this request); else the seconds to wait.
    func retryAfter(for client: String, now: Date = Date()) -> Int? {
        let id = Data(HMAC<SHA256>.authenticationCode(for: Data(client.utf8), using: SymmetricKey(data: key)))
        return seen.withLock { seen in
            if seen.count > 100_000 { seen.removeAll() }  // bounded memory under a flood of addresses
            var times = (seen[id] ?? []).filter { now.timeIntervalSince($0) < window }
            if times.count >= limit {
                seen[id] = times
                return max(1, Int((window - now.timeIntervalSince(times[0])).rounded(.up)))
            }
            times.append(now)
            seen[id] = times
            return nil
        }
    }
}
