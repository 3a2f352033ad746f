import BDSCore
import BDSServer
import BDSStore
import BDSTestSupport
import BDSWire
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import NIOFoundationEssentialsCompat
import Testing

/// Hostile requests: every one gets a documented refusal (JSON error or invalid verdict), never a
/// 5xx, a crash, a file's content, or a change to the store.
@Suite("Hostile requests", .tags(.slow))
struct AttackTests {
    let server: TestServer

    init() throws {
        server = try TestServer(configuration: ServerConfiguration(port: 0, adminToken: ServerFixture.adminToken))
    }

    /// Whether a body is JSON with the error shape the spec documents, and the status it carries.
    static func isErrorBody(_ response: TestResponse) -> Bool {
        struct Body: Decodable {
            struct Detail: Decodable {
                var status: Int
                var message: String
            }
            var error: Detail
        }
        guard let body = try? JSONDecoder().decode(Body.self, from: Data(buffer: response.body)) else { return false }
        return body.error.status == response.status.code && !body.error.message.isEmpty
    }

    // MARK: bodies and batches

    @Test("A body far over the limit is a 413, whether or not Content-Length declares it", arguments: [true, false])
    func oversizedBody(declared: Bool) async throws {
        let big = #"{"queries": [""# + String(repeating: "7", count: 2_000_000) + #""]}"#
        let headers: HTTPFields = declared ? [.contentType: "application/json", .contentLength: String(big.utf8.count)] : [:]
        try await server.application.test(.router) { client in
            try await client.execute(uri: "/v1/lookup", method: .post, headers: headers, body: ByteBuffer(string: big)) {
                response in
                #expect(response.status == .contentTooLarge)
                #expect(Self.isErrorBody(response))
            }
        }
    }

    @Test("Over a real socket a 16 MB upload is refused with a 413 and the server keeps answering")
    func oversizedBodyLive() async throws {
        let body = ByteBuffer(repeating: UInt8(ascii: " "), count: 16 << 20)
        try await server.application.test(.live) { client in
            try await client.execute(uri: "/v1/lookup", method: .post, body: body) { response in
                #expect(response.status == .contentTooLarge)
            }
            try await client.execute(uri: "/v1/barcodes/0040822011143", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test("A batch of 10,000 queries inside the byte limit is refused for its count, before any lookup")
    func hugeBatch() async throws {
        let queries = Array(repeating: "1", count: 10_000)
        let body = ByteBuffer(data: try JSONEncoder().encode(LookupRequest(queries: queries)))
        #expect(body.readableBytes < 65_536)
        try await server.application.test(.router) { client in
            try await client.execute(uri: "/v1/lookup", method: .post, body: body) { response in
                #expect(response.status == .badRequest)
                let message = try errorMessage(response)
                #expect(message.contains("10000 queries"))
            }
            try await client.execute(uri: "/metrics", method: .get) { response in
                let text = String(buffer: response.body)
                #expect(text.contains(#"bdscheck_verdicts_total{verdict="invalid"} 0"#), "no query was looked up")
                #expect(text.contains(#"bdscheck_verdicts_total{verdict="unknown"} 0"#))
            }
        }
    }

    @Test(
        "Deeply nested or malformed JSON is a 400, not a crash",
        arguments: [
            String(repeating: "[", count: 30_000) + String(repeating: "]", count: 30_000),
            #"{"queries": "# + String(repeating: "[", count: 30_000),
            String(repeating: #"{"a":"#, count: 10_000) + "1" + String(repeating: "}", count: 10_000),
            #"{"queries": [1, 2, 3]}"#,
            #"{"queries": [null]}"#,
            "\u{FEFF}\u{0}\u{1}",
            #"{"queries": ["\ud800"]}"#,
        ])
    func malformedJSON(body: String) async throws {
        try await server.application.test(.router) { client in
            try await client.execute(uri: "/v1/lookup", method: .post, body: ByteBuffer(string: body)) { response in
                #expect(response.status == .badRequest)
                #expect(Self.isErrorBody(response))
            }
        }
    }

    // MARK: long query strings

    @Test(
        "Very long query strings and many parameters get a 400 or an answer, never a 5xx",
        arguments: [
            "/v1/search?q=" + String(repeating: "a", count: 100_000),
            "/v1/search?q=sabra&limit=" + String(repeating: "9", count: 10_000),
            "/v1/search?q=sabra&limit=-1",
            "/v1/search?q=sabra&" + Array(repeating: "x=1", count: 10_000).joined(separator: "&"),
            "/v1/search?" + Array(repeating: "q=sabra", count: 5_000).joined(separator: "&"),
            "/v1/search?q=%00%01%02",
            "/v1/search?q=%FF%FE",
            "/v1/barcodes/" + String(repeating: "0", count: 100_000),
            "/v1/barcodes/0040822011143?" + String(repeating: "a", count: 100_000),
            "/healthz?" + String(repeating: "a=b&", count: 10_000),
        ])
    func longQueryStrings(uri: String) async throws {
        try await server.application.test(.router) { client in
            try await client.execute(uri: uri, method: .get) { response in
                #expect(response.status.code < 500)
                #expect(response.status == .ok || response.status == .badRequest)
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            }
        }
    }

    // MARK: path traversal and odd bytes in {code}

    @Test(
        "Traversal, NUL and other odd bytes in {code} are an invalid barcode (400 verdict), never a file",
        arguments: [
            "..%2F..%2Fetc%2Fpasswd",
            "..%2f..%2f..%2f..%2fetc%2fpasswd",
            "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
            "..%5C..%5Cwindows%5Cwin.ini",
            "%00",
            "0040822011143%00.json",
            "%2F",
            "%25",
            "%FF%FE%FD",
            "%",
            "%zz",
            "'%20OR%201=1--",
            "0040822011143';DROP%20TABLE%20product;--",
            "%D9%A7%D9%A2%D9%A9",  // three Arabic-Indic digits
            "%D9%A7%D9%A2%D9%A9%D9%A0%D9%A0%D9%A1%D9%A1%D9%A4%D9%A9%D9%A8%D9%A3%D9%A8%D9%A3",  // wrong check digit
        ])
    func oddCodes(code: String) async throws {
        try await server.application.test(.router) { client in
            try await client.execute(uri: "/v1/barcodes/\(code)", method: .get) { response in
                #expect(response.status == .badRequest)
                let body = String(buffer: response.body)
                #expect(!body.contains("root:"))
                let verdict = try decode(Verdict.self, response)
                #expect(verdict.verdict == .invalid)
                #expect(verdict.problem != nil)
            }
        }
        // The store is as it was.
        #expect(try server.holder.current.store.verdict(forBarcode: "0040822011143").verdict == .listedConsumerBoycott)
    }

    @Test(
        "Digits of other scripts are the same barcode as the ASCII digits (GTIN's documented rule)",
        arguments: [
            ("%D9%A7%D9%A2%D9%A9%D9%A0%D9%A0%D9%A1%D9%A1%D9%A4%D9%A9%D9%A8%D9%A3%D9%A8%D9%A2", "7290011498382"),  // Arabic-Indic
            (
                "%EF%BC%90%EF%BC%90%EF%BC%94%EF%BC%90%EF%BC%98%EF%BC%92%EF%BC%92%EF%BC%90%EF%BC%91%EF%BC%91%EF%BC%91%EF%BC%94%EF%BC%93",
                "0040822011143"
            ),  // fullwidth
            ("0040822011143%00", "0040822011143"),  // a trailing NUL, as some scanners send
        ])
    func otherScriptDigits(code: String, ascii: String) async throws {
        let expected = try server.holder.current.store.verdict(forBarcode: ascii)
        try await server.application.test(.router) { client in
            try await client.execute(uri: "/v1/barcodes/\(code)", method: .get) { response in
                #expect(response.status == .ok)
                let verdict = try decode(Verdict.self, response)
                #expect(verdict.verdict == expected.verdict)
                #expect(verdict.barcode?.gtin14 == expected.barcode?.gtin14)
            }
        }
    }

    @Test(
        "Traversal in the path itself never leaves the routes: a JSON 404 or an answer, no file",
        arguments: [
            "/v1/barcodes/../../etc/passwd",
            "/../../../../etc/passwd",
            "/openapi.yaml/../../../etc/passwd",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/v1/barcodes/",
            "/v1/barcodes",
            "//v1//barcodes//0040822011143",
            "/v1/barcodes/0040822011143/extra",
            "/kiosk.html",
            "/Resources/openapi.yaml",
            "/Package.swift",
        ])
    func traversalPaths(uri: String) async throws {
        try await server.application.test(.router) { client in
            try await client.execute(uri: uri, method: .get) { response in
                #expect(response.status.code < 500)
                let body = String(buffer: response.body)
                #expect(!body.contains("root:"))
                #expect(!body.contains("swift-tools-version"))
                if response.status == .notFound {
                    #expect(Self.isErrorBody(response))
                }
            }
        }
    }

    // MARK: methods

    static let routes: [(path: String, method: HTTPRequest.Method)] = [
        ("/v1/barcodes/0040822011143", .get), ("/v1/search?q=sabra", .get), ("/v1/lookup", .post),
        ("/v1/sources", .get), ("/v1/admin/reload", .post), ("/healthz", .get), ("/readyz", .get),
        ("/metrics", .get), ("/openapi.yaml", .get), ("/", .get),
    ]

    @Test("A method a path does not have is a JSON 404 on every route, as for an unknown path, and changes nothing")
    func wrongMethods() async throws {
        let before = server.holder.current
        let others: [HTTPRequest.Method] = [.get, .post, .put, .delete, .patch, .init("PROPFIND")!, .init("TRACE")!]
        try await server.application.test(.router) { client in
            for route in Self.routes {
                for method in others where method != route.method {
                    try await client.execute(
                        uri: route.path, method: method, headers: [.authorization: "Bearer \(ServerFixture.adminToken)"],
                        body: ByteBuffer(string: #"{"queries": ["sabra"]}"#)
                    ) { response in
                        #expect(response.status == .notFound, "\(method) \(route.path)")
                        #expect(Self.isErrorBody(response), "\(method) \(route.path)")
                    }
                }
            }
        }
        #expect(server.holder.current === before, "no wrong method reloaded the store")
    }

    // MARK: the admin endpoint

    @Test(
        "Reload without the right token is a 401 and the store in use does not change",
        arguments: [
            nil, "", "Bearer", "Bearer ", "Bearer wrong-token-0123456789", "Basic dGVzdDp0ZXN0",
            "Bearer \(ServerFixture.adminToken)x", "Bearer \(ServerFixture.adminToken.dropLast())",
            "Bearer \(ServerFixture.adminToken.uppercased())", ServerFixture.adminToken,
            "Bearer \(String(repeating: "A", count: 100_000))", "Bearer \(ServerFixture.adminToken) \(ServerFixture.adminToken)",
        ])
    func reloadRefused(header: String?) async throws {
        let project = try ServerFixture.copyProject()
        let storePath = (project as NSString).deletingLastPathComponent + "/store.sqlite"
        try ServerFixture.buildStore(project: project, to: storePath)
        let server = try TestServer(
            storePath: storePath, configuration: ServerConfiguration(port: 0, adminToken: ServerFixture.adminToken))
        let before = server.holder.current
        // A refresh puts a store with one more product at the path: only a real reload would show it.
        let products = project + "/datasets/products.csv"
        let handle = try #require(FileHandle(forWritingAtPath: products))
        handle.seekToEndOfFile()
        handle.write(Data("4000000000020,Fixture Rolls,Plain Brand,https://example.org/fixture/p4,2026-02-01\n".utf8))
        try handle.close()
        try ServerFixture.buildStore(project: project, to: storePath)

        let headers: HTTPFields = header.map { [.authorization: $0] } ?? [:]
        try await server.application.test(.router) { client in
            try await client.execute(uri: "/v1/admin/reload", method: .post, headers: headers) { response in
                #expect(response.status == .unauthorized)
                #expect(Self.isErrorBody(response))
            }
            try await client.execute(uri: "/v1/barcodes/4000000000020", method: .get) { response in
                let verdict = try decode(Verdict.self, response)
                #expect(verdict.verdict == .unknown)
            }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(String(buffer: response.body).contains(#"bdscheck_store_reloads_total{result="success"} 0"#))
            }
        }
        #expect(server.holder.current === before)
    }

    // MARK: readiness

    @Test("/readyz is a 503 when the store says it is not complete; lookups still answer")
    func notReadyWhenIncomplete() async throws {
        let path = try ServerFixture.temporaryDirectory() + "/store.sqlite"
        try ServerFixture.buildStore(to: path)
        let server = try TestServer(storePath: path)
        let writer = try DatabaseQueue(path: path)
        try await writer.write { db in try db.execute(sql: "UPDATE meta SET value = '0' WHERE key = 'complete'") }
        try writer.close()
        try await server.application.test(.router) { client in
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                let answer = try decode(HealthAnswer.self, response)
                #expect(answer.status == "not-ready")
                #expect(answer.reason?.contains("not complete") == true)
            }
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok, "liveness does not depend on the store")
            }
        }
    }

    @Test("/readyz is a 503 when the store file is destroyed under the server; lookups are JSON 500s, not a crash")
    func notReadyWhenUnreadable() async throws {
        let path = try ServerFixture.temporaryDirectory() + "/store.sqlite"
        try ServerFixture.buildStore(to: path)
        let server = try TestServer(storePath: path)
        // Overwrite the open file in place (as a disk fault or a careless `cp` over it would).
        let fd = open(path, O_WRONLY)
        #expect(fd >= 0)
        let junk = [UInt8](repeating: 0xA5, count: 64 * 1024)
        #expect(junk.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) } == junk.count)
        close(fd)
        try await server.application.test(.router) { client in
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                let answer = try decode(HealthAnswer.self, response)
                #expect(answer.status == "not-ready")
            }
            try await client.execute(uri: "/v1/barcodes/0040822011143", method: .get) { response in
                #expect(response.status == .internalServerError)
                #expect(Self.isErrorBody(response))
            }
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }

    // MARK: reports

    @Test(
        "Hostile reports are refused with JSON errors, never a 5xx, and nothing is stored",
        arguments: [
            ("16 MB", String(repeating: "x", count: 16 << 20), 413),
            ("invalid UTF-8 in JSON", "{\"query\": \"\u{FFFD}\", \"message\": 1}", 400),
            ("nested a thousand deep", String(repeating: "[", count: 1000) + String(repeating: "]", count: 1000), 400),
            ("an array", #"[{"query": "x", "message": "y"}]"#, 400),
            ("null fields", #"{"query": null, "message": null}"#, 400),
            ("a NUL byte", #"{"query": "x\u0000", "message": "y"}"#, 400),
            (
                "HTML in a field, over the limit",
                #"{"query": "<script>\#(String(repeating: "a", count: 300))</script>", "message": "y"}"#, 400
            ),
        ])
    func hostileReports(name: String, body: String, status: Int) async throws {
        let server = try TestServer(configuration: ServerConfiguration(port: 0, adminToken: ServerFixture.adminToken))
        try await server.application.test(.router) { client in
            try await client.execute(
                uri: "/v1/reports", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: body)
            ) { response in
                #expect(Int(response.status.code) == status, "\(name)")
                #expect(Self.isErrorBody(response), "\(name)")
            }
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
        }
        #expect(try server.reports.list().isEmpty, "\(name)")
    }

    @Test("Listing reports without the token, with a wrong one or a malformed header is a 401; the reports stay private")
    func reportListNeedsToken() async throws {
        let server = try TestServer(configuration: ServerConfiguration(port: 0, adminToken: ServerFixture.adminToken))
        try server.reports.add(
            ReportStore.New(query: "Sabra", level: nil, dataVersion: nil, message: "private words", contact: "me@example.org"))
        try await server.application.test(.router) { client in
            for header in [
                "", "Bearer", "Bearer wrong-token", "Basic \(ServerFixture.adminToken)", "bearer  \(ServerFixture.adminToken)x",
            ] {
                let headers: HTTPFields = header.isEmpty ? [:] : [.authorization: header]
                try await client.execute(uri: "/v1/reports", method: .get, headers: headers) { response in
                    #expect(response.status == .unauthorized, "\(header)")
                    #expect(!String(buffer: response.body).contains("private words"))
                }
            }
        }
    }
}
