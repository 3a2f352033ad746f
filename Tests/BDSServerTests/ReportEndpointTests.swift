import BDSServer
import BDSStore
import BDSTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOFoundationEssentialsCompat
import Testing

/// "This answer is wrong" over HTTP: reports in, the admin list out, the limits, and the QR codes
/// and pages the kiosk uses to send a shopper there on their phone.
@Suite("Reports, QR codes and the report form")
struct ReportEndpointTests {
    static let json: HTTPFields = [.contentType: "application/json"]

    static func object(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
    }

    static func errorMessage(_ response: TestResponse) -> String {
        let body = try? JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
        return ((body?["error"] as? [String: Any])?["message"] as? String) ?? ""
    }

    @Test("a report is stored in the reports database, and only the admin token lists it")
    func reportAndList() async throws {
        let server = try TestServer(configuration: ServerConfiguration(port: 0, adminToken: ServerFixture.adminToken))
        try await server.application.test(.router) { client in
            let body =
                #"{"query": "7290011498382", "level": "hint-only", "dataVersion": "42", "message": "This is made by X, not Y.", "contact": "me@example.org"}"#
            try await client.execute(uri: "/v1/reports", method: .post, headers: Self.json, body: ByteBuffer(string: body)) {
                #expect($0.status == .created)
                let created = try Self.object($0)
                #expect(created["status"] as? String == "open")
                #expect(created["id"] as? Int == 1)
            }
            try await client.execute(uri: "/v1/reports", method: .get) {
                #expect($0.status == .unauthorized)
                #expect($0.headers[.wwwAuthenticate] == "Bearer")
            }
            try await client.execute(uri: "/v1/reports", method: .get, headers: [.authorization: "Bearer wrong"]) {
                #expect($0.status == .unauthorized)
            }
            let admin: HTTPFields = [.authorization: "Bearer \(ServerFixture.adminToken)"]
            try await client.execute(uri: "/v1/reports?status=open", method: .get, headers: admin) {
                #expect($0.status == .ok)
                let reports = try #require(try Self.object($0)["reports"] as? [[String: Any]])
                #expect(reports.count == 1)
                #expect(reports.first?["query"] as? String == "7290011498382")
                #expect(reports.first?["message"] as? String == "This is made by X, not Y.")
                #expect(reports.first?["level"] as? String == "hint-only")
                #expect(reports.first?["dataVersion"] as? String == "42")
            }
            try await client.execute(uri: "/v1/reports?status=maybe", method: .get, headers: admin) {
                #expect($0.status == .badRequest)
            }
        }
        let stored = try server.reports.list()
        #expect(stored.map(\.contact) == ["me@example.org"])
        #expect(try server.reports.journalMode() == "wal")
    }

    @Test("without an admin token, listing is off and says how to turn it on")
    func listingOff() async throws {
        let server = try TestServer()
        try await server.application.test(.router) { client in
            try await client.execute(uri: "/v1/reports", method: .get) {
                #expect($0.status == .notFound)
                #expect(Self.errorMessage($0).contains("BDSCHECK_ADMIN_TOKEN"))
            }
        }
    }

    @Test(
        "malformed, oversized and incomplete reports are refused with a clear JSON error, and nothing is stored",
        arguments: [
            ("not json", HTTPResponse.Status.badRequest, "send a JSON object"),
            (#"{"query": "x"}"#, .badRequest, "send a JSON object"),
            (#"{"query": "", "message": "wrong"}"#, .badRequest, "query: required"),
            (#"{"query": "x", "message": "   "}"#, .badRequest, "message: required"),
            (#"{"query": "x", "message": "a\u0007b"}"#, .badRequest, "control characters"),
            (#"{"query": 7290011498382, "message": "wrong"}"#, .badRequest, "send a JSON object"),
            (#"{"query": "x", "message": "\#(String(repeating: "m", count: 2001))"}"#, .badRequest, "at most 2000 characters"),
            (#"{"query": "\#(String(repeating: "q", count: 201))", "message": "m"}"#, .badRequest, "at most 200 characters"),
            (#"{"query": "x", "message": "\#(String(repeating: "m", count: 20_000))"}"#, .contentTooLarge, "at most 16384 bytes"),
        ])
    func refused(body: String, status: HTTPResponse.Status, message: String) async throws {
        let server = try TestServer()
        try await server.application.test(.router) { client in
            try await client.execute(uri: "/v1/reports", method: .post, headers: Self.json, body: ByteBuffer(string: body)) {
                #expect($0.status == status)
                #expect(Self.errorMessage($0).contains(message), "\(Self.errorMessage($0))")
            }
        }
        #expect(try server.reports.list().isEmpty)
    }

    @Test("past the per-client limit a report is a 429 with Retry-After; the address itself is never stored")
    func rateLimited() async throws {
        let server = try TestServer(reportLimiter: RateLimiter(limit: 2, window: 600))
        try await server.application.test(.live) { client in
            let body = ByteBuffer(string: #"{"query": "Sabra", "message": "wrong owner"}"#)
            for _ in 0..<2 {
                try await client.execute(uri: "/v1/reports", method: .post, headers: Self.json, body: body) {
                    #expect($0.status == .created)
                }
            }
            try await client.execute(uri: "/v1/reports", method: .post, headers: Self.json, body: body) {
                #expect($0.status == .tooManyRequests)
                #expect(Int($0.headers[.retryAfter] ?? "") ?? 0 > 0)
                #expect(Self.errorMessage($0).contains("at most 2 per 600 s"))
            }
        }
        #expect(try server.reports.list().count == 2)
        let database = try Data(contentsOf: URL(fileURLWithPath: server.reports.path))
        #expect(database.range(of: Data("127.0.0.1".utf8)) == nil)
    }

    @Test("GET /v1/qr draws an SVG QR code; no text or too much text is a 400")
    func qr() async throws {
        let server = try TestServer()
        try await server.application.test(.router) { client in
            try await client.execute(uri: "/v1/qr?text=http%3A%2F%2F127.0.0.1%3A8080%2F%3Fq%3D7290011498382", method: .get) {
                #expect($0.status == .ok)
                #expect($0.headers[.contentType] == "image/svg+xml")
                let svg = String(buffer: $0.body)
                #expect(svg.hasPrefix("<svg") && svg.contains("h1v1h-1z"))
                let expected = try QRCode("http://127.0.0.1:8080/?q=7290011498382").svg()
                #expect(svg == expected)
            }
            try await client.execute(uri: "/v1/qr", method: .get) { #expect($0.status == .badRequest) }
            try await client.execute(uri: "/v1/qr?text=" + String(repeating: "a", count: 300), method: .get) {
                #expect($0.status == .badRequest)
            }
        }
    }

    @Test("the report form is served with the kiosk's content policy; the kiosk page carries the public address")
    func pages() async throws {
        let server = try TestServer(configuration: ServerConfiguration(port: 0, publicURL: "https://kiosk.example.org"))
        try await server.application.test(.router) { client in
            try await client.execute(uri: "/report", method: .get) {
                #expect($0.status == .ok)
                #expect($0.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
                #expect(String(buffer: $0.body).contains(#"<script src="/report.js" defer></script>"#))
            }
            try await client.execute(uri: "/report.js", method: .get) {
                #expect($0.status == .ok)
                #expect(String(buffer: $0.body).contains("/v1/reports"))
            }
            try await client.execute(uri: "/", method: .get) {
                #expect(
                    String(buffer: $0.body).contains(#"<meta name="bdscheck-public-url" content="https://kiosk.example.org">"#))
            }
        }
    }
}
