import BDSCore
import BDSServer
import BDSStore
import BDSTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOFoundationEssentialsCompat
import Synchronization
import Testing

@Suite("Health, metrics, the documents, errors and CORS through the router")
struct OperationsEndpointTests {
    @Test("/healthz and /readyz answer while the store is open")
    func health() async throws {
        let server = try TestServer()
        try await server.application.test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"status":"ok"}"#)
            }
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .ok)
                let answer = try JSONDecoder().decode(HealthAnswer.self, from: Data(buffer: response.body))
                #expect(answer.status == "ready")
                #expect(answer.builtAt == (try server.holder.current.store.meta("built_at")))
            }
        }
    }

    // The request series (by route and status, and the duration histogram) come from the process-wide
    // metrics system, which only `bdscheck serve` bootstraps: ServeMetricsTests checks them on a child process.
    @Test("/metrics counts this server's verdicts by level, and gives the store's age")
    func metrics() async throws {
        let server = try TestServer()
        try await server.application.test(.router) { client in
            try await client.execute(uri: "/v1/barcodes/0040822011143", method: .get)
            try await client.execute(uri: "/v1/barcodes/4000000000020", method: .get)
            try await client.execute(uri: "/v1/barcodes/0040822011144", method: .get)
            try await client.execute(uri: "/no/such/thing", method: .get)
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
                let text = String(buffer: response.body)
                #expect(text.contains(#"bdscheck_verdicts_total{verdict="listed-consumer-boycott"} 1"#))
                #expect(text.contains(#"bdscheck_verdicts_total{verdict="unknown"} 1"#))
                #expect(text.contains("bdscheck_store_age_seconds "))
                #expect(!text.contains("0040822011143"), "one series per barcode would grow without bound")
            }
        }
    }

    @Test("/openapi.yaml is the document in the repository, served as is")
    func openAPI() async throws {
        let server = try TestServer()
        let shipped = try ServerResources.bundled().openAPIDocument
        try await server.application.test(.router) { client in
            try await client.execute(uri: "/openapi.yaml", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("application/yaml") == true)
                #expect(String(buffer: response.body) == shipped)
                #expect(shipped.hasPrefix("openapi: 3.1"))
            }
        }
    }

    @Test("The kiosk page is self-contained and carries the configured reset delay")
    func kioskPage() async throws {
        let server = try TestServer(configuration: ServerConfiguration(port: 0, kioskResetSeconds: 7))
        try await server.application.test(.router) { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                let page = String(buffer: response.body)
                #expect(page.contains(#"<meta name="bdscheck-reset-seconds" content="7">"#))
                #expect(!page.contains("__RESET_SECONDS__"))
                #expect(!page.contains("src=\"http"), "no scripts or images from elsewhere")
                #expect(!page.contains("href=\"http"), "no stylesheets from elsewhere")
                #expect(page.contains(#"dir="auto""#))
                #expect(page.contains(#"<script src="/kiosk.js" defer></script>"#))
                #expect(!page.contains("<style"), "no inline style: the CSP allows none")
                #expect(response.headers[.contentSecurityPolicy]?.contains("default-src 'self'") == true)
            }
            for (uri, type) in [
                ("/kiosk.css", "text/css"), ("/kiosk.js", "text/javascript"), ("/kiosk-sw.js", "text/javascript"),
            ] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .ok, "\(uri)")
                    #expect(response.headers[.contentType]?.hasPrefix(type) == true, "\(uri)")
                    let body = String(buffer: response.body)
                    #expect(!body.isEmpty)
                    #expect(!body.contains("http://") && !body.contains("https://"), "\(uri) loads nothing from elsewhere")
                }
            }
        }
    }

    @Test("The kiosk page words its headlines from the catalogue, in every language, as the verdicts do")
    func kioskHeadlines() async throws {
        let script = try ServerResources.bundled().kioskScript
        for category in ListingCategory.allCases {
            #expect(!script.contains(Headline.forCategory(category).text), "kiosk.js words \(category) itself")
        }
        let keys =
            Headline.Kind.allCases.map { "headline.\($0.rawValue)" } + [
                "headline.did-you-mean", "headline.mistyped", "headline.invalid-barcode", "headline.invalid-input",
            ]
        let server = try TestServer()
        for code in MessageCatalogue.bundledCodes() {
            let m = try #require(Messages.forLanguage(code))
            let page = try await server.application.test(.router) { client in
                try await client.execute(uri: "/?lang=\(code)", method: .get) { String(buffer: $0.body) }
            }
            let start = try #require(page.range(of: #"<script type="application/json" id="bdscheck-messages">"#))
            let end = try #require(page[start.upperBound...].range(of: "</script>"))
            let data = try JSONSerialization.jsonObject(with: Data(page[start.upperBound..<end.lowerBound].utf8))
            let messages = try #require((data as? [String: Any])?["messages"] as? [String: Any])
            for key in keys { #expect(messages[key] as? String == m.text(key), "\(code) \(key)") }
        }
    }

    @Test("An unknown path is a JSON 404 that points to the API description")
    func notFound() async throws {
        let server = try TestServer()
        try await server.application.test(.router) { client in
            try await client.execute(uri: "/v2/whatever", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(String(buffer: response.body).contains("/openapi.yaml"))
            }
        }
    }

    struct Broken: Error {}

    @Test("An unexpected error becomes a JSON 500 and is logged at error level with the route")
    func unexpectedError() async throws {
        let server = try TestServer()
        server.router.get("/broken/:id") { _, _ -> Response in throw Broken() }
        try await server.application.test(.router) { client in
            try await client.execute(uri: "/broken/1", method: .get) { response in
                #expect(response.status == .internalServerError)
                #expect(String(buffer: response.body).contains("internal error"))
            }
        }
        let records = server.log.records.withLock { $0 }
        let logged = records.first { $0.level == .error && $0.message == "request failed" }
        #expect(logged?.metadata["route"] == "/broken/{id}")
        #expect(logged?.metadata["error"]?.contains("Broken") == true)
    }

    @Test("CORS is off by default: no allow-origin header for any origin")
    func corsOff() async throws {
        let server = try TestServer()
        try await server.application.test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get, headers: [.origin: "http://shop.example"]) { response in
                #expect(response.headers[.accessControlAllowOrigin] == nil)
            }
        }
    }

    @Test("CORS allows only the configured origins, preflight included")
    func corsOn() async throws {
        let server = try TestServer(configuration: ServerConfiguration(port: 0, corsOrigins: ["http://shop.example"]))
        try await server.application.test(.router) { client in
            try await client.execute(uri: "/v1/barcodes/0040822011143", method: .get, headers: [.origin: "http://shop.example"]) {
                response in
                #expect(response.status == .ok)
                #expect(response.headers[.accessControlAllowOrigin] == "http://shop.example")
            }
            try await client.execute(uri: "/v1/lookup", method: .options, headers: [.origin: "http://shop.example"]) { response in
                #expect(response.status == .noContent)
                #expect(response.headers[.accessControlAllowMethods]?.contains("POST") == true)
            }
            try await client.execute(uri: "/healthz", method: .get, headers: [.origin: "http://elsewhere.example"]) { response in
                #expect(response.headers[.accessControlAllowOrigin] == nil)
            }
        }
    }
}
