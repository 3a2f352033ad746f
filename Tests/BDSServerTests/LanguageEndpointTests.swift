import BDSCore
import BDSServer
import BDSStore
import BDSWire
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOFoundationEssentialsCompat
import Testing

@Suite("The answer's language: ?lang=, Accept-Language and serve --lang")
struct LanguageEndpointTests {
    static let sabra = "0040822011143"

    func localized(
        _ server: TestServer, uri: String, headers: HTTPFields = [:]
    ) async throws -> (verdict: Verdict, vary: String?) {
        try await server.application.test(.router) { client in
            try await client.execute(uri: uri, method: .get, headers: headers) { response in
                #expect(response.status == .ok)
                return (try decode(Verdict.self, response), response.headers[.vary])
            }
        }
    }

    @Test(
        "?lang= and Accept-Language choose the words; the machine fields stay English",
        arguments: [
            ("?lang=ur", String?.none, "ur", "صارفین کے بائیکاٹ کا ہدف"),
            ("", "tr-TR,tr;q=0.9,en;q=0.5", "tr", "Tüketici boykotu hedefi"),
            ("?lang=fr", "tr", "fr", "Cible d’un boycott de consommation"),
            ("?lang=xx", "de, ms;q=0.8", "ms", "Sasaran boikot pengguna"),
            ("", nil, "en", "Consumer boycott target"),
        ])
    func barcode(query: String, acceptLanguage: String?, lang: String, headline: String) async throws {
        let server = try TestServer()
        var headers = HTTPFields()
        if let acceptLanguage { headers[.acceptLanguage] = acceptLanguage }
        let (v, vary) = try await localized(server, uri: "/v1/barcodes/\(Self.sabra)\(query)", headers: headers)
        let english = try server.holder.current.store.verdict(forBarcode: Self.sabra)
        #expect(v.summary == english.summary)
        #expect(v.listings == english.listings)
        #expect(v.localized?.lang == lang)
        #expect(v.localized?.headline == headline)
        #expect(v.localized?.dir == (lang == "ur" ? "rtl" : "ltr"))
        #expect(vary == "Accept-Language")
    }

    @Test("POST /v1/lookup words every answer in the language asked for")
    func lookup() async throws {
        let server = try TestServer()
        try await server.application.test(.router) { client in
            try await client.execute(
                uri: "/v1/lookup?lang=ar", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"queries": ["sabra", "7290011498387"]}"#)
            ) { response in
                let answer = try decode(LookupAnswer.self, response)
                #expect(answer.answers.map { $0.localized?.lang } == ["ar", "ar"])
                #expect(answer.answers[0].localized?.summary.hasPrefix("\u{2068}Sabra\u{2069}") == true)
                #expect(answer.answers[1].localized?.headline.contains("رقم التحقق") == true)
            }
        }
    }

    @Test("serve --lang is the kiosk's language over the browser's; an API request's own header still wins")
    func serverDefault() async throws {
        let server = try TestServer(configuration: ServerConfiguration(port: 0, defaultLanguage: "ar"))
        let (plain, _) = try await localized(server, uri: "/v1/barcodes/\(Self.sabra)")
        #expect(plain.localized?.lang == "ar")
        let (asked, _) = try await localized(server, uri: "/v1/barcodes/\(Self.sabra)", headers: [.acceptLanguage: "tr"])
        #expect(asked.localized?.lang == "tr")
        let page = try await body(server, "/", headers: [.acceptLanguage: "tr"])
        #expect(page.contains(#"<html lang="ar" dir="rtl">"#))
        let chosen = try await body(server, "/?lang=id", headers: [.acceptLanguage: "tr"])
        #expect(chosen.contains(#"<html lang="id" dir="ltr">"#))
    }

    func body(_ server: TestServer, _ uri: String, headers: HTTPFields = [:]) async throws -> String {
        try await server.application.test(.router) { client in
            try await client.execute(uri: uri, method: .get, headers: headers) { response in
                #expect(response.status == .ok)
                return String(decoding: Data(buffer: response.body), as: UTF8.self)
            }
        }
    }

    @Test("The kiosk page and the report form come in the language asked for, right to left for Arabic and Urdu")
    func pages() async throws {
        let server = try TestServer()
        let urdu = try await body(server, "/?lang=ur")
        #expect(urdu.contains(#"<html lang="ur" dir="rtl">"#))
        #expect(urdu.contains("<h1 id=\"headline\">مصنوعات اسکین کریں</h1>"))
        #expect(!urdu.contains("{{"))
        let turkish = try await body(server, "/", headers: [.acceptLanguage: "tr"])
        #expect(turkish.contains(#"<html lang="tr" dir="ltr">"#))
        #expect(turkish.contains("Bir ürün okutun"))
        let english = try await body(server, "/")
        #expect(english.contains(#"<html lang="en" dir="ltr">"#))
        #expect(english.contains("Scan a product"))
        let report = try await body(server, "/report?lang=ar")
        #expect(report.contains(#"<html lang="ar" dir="rtl">"#))
        #expect(report.contains("الإبلاغ عن إجابة خاطئة"))
        // The script's messages: a JSON data block nothing in it can close early.
        let start = try #require(urdu.range(of: #"<script type="application/json" id="bdscheck-messages">"#))
        let end = try #require(urdu[start.upperBound...].range(of: "</script>"))
        let json = try JSONSerialization.jsonObject(with: Data(urdu[start.upperBound..<end.lowerBound].utf8)) as? [String: Any]
        #expect(json?["lang"] as? String == "ur")
        #expect((json?["messages"] as? [String: Any])?["kiosk.idle.headline"] as? String == "مصنوعات اسکین کریں")
    }
}
