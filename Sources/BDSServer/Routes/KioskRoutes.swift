import BDSCore
import Foundation
import Hummingbird

/// `GET /` and its assets: the kiosk page with its reset delay and data age limit filled in, its
/// style sheet and script, and the service worker that keeps them for a reload while the server is down.
///
/// The page and the report form are made once per language at start: `<html lang dir>`, their
/// words from the message catalogue, and the messages the script words answers with, in a JSON
/// data block. Each request gets the page in its language (see `AnswerLanguage.forPage`).
struct KioskRoutes<Context: RequestContext>: Sendable {
    struct Asset: Sendable {
        var path: String
        var contentType: String
        var body: ByteBuffer
    }

    let assets: [Asset]
    /// The kiosk page and the report form in each language, by language code.
    let pages: [String: (kiosk: ByteBuffer, report: ByteBuffer)]
    let defaultLanguage: String?

    init(
        resources: ServerResources, resetSeconds: Int, maxDataAgeSeconds: Int? = nil, publicURL: String? = nil,
        defaultLanguage: String? = nil
    ) {
        let page = resources.kioskPage.replacingOccurrences(of: "__RESET_SECONDS__", with: String(resetSeconds))
            .replacingOccurrences(of: "__MAX_DATA_AGE_SECONDS__", with: String(maxDataAgeSeconds ?? 0))
            .replacingOccurrences(of: "__PUBLIC_URL__", with: Self.attribute(publicURL ?? ""))
        let languages = MessageCatalogue.bundledCodes().compactMap { Messages.forLanguage($0) }
        var pages: [String: (kiosk: ByteBuffer, report: ByteBuffer)] = [:]
        for m in languages {
            pages[m.code] = (
                ByteBuffer(string: Self.localize(page, m, languages: languages)),
                ByteBuffer(string: Self.localize(resources.reportPage, m, languages: languages))
            )
        }
        self.pages = pages
        self.defaultLanguage = defaultLanguage
        assets = [
            Asset(path: "/kiosk.css", contentType: "text/css; charset=utf-8", body: ByteBuffer(string: resources.kioskStyle)),
            Asset(
                path: "/kiosk.js", contentType: "text/javascript; charset=utf-8", body: ByteBuffer(string: resources.kioskScript)),
            Asset(
                path: "/kiosk-words.js", contentType: "text/javascript; charset=utf-8",
                body: ByteBuffer(string: resources.wordsScript)),
            Asset(
                path: "/kiosk-sw.js", contentType: "text/javascript; charset=utf-8",
                body: ByteBuffer(string: resources.kioskWorker)),
            Asset(
                path: "/report.js", contentType: "text/javascript; charset=utf-8",
                body: ByteBuffer(string: resources.reportScript)),
        ]
    }

    /// A page template in one language: `__LANG__`, `__DIR__`, each `{{key}}` as that message
    /// (HTML-escaped), `__MESSAGES__` as the catalogue for the script and `__LANGUAGES__` as the
    /// languages the language button offers.
    static func localize(_ template: String, _ m: Messages, languages: [Messages]) -> String {
        var out = ""
        var rest = template[...]
        while let open = rest.range(of: "{{") {
            out += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                rest = rest[open.lowerBound...]
                break
            }
            out += text(m.text(String(rest[open.upperBound..<close.lowerBound])))
            rest = rest[close.upperBound...]
        }
        out += rest
        let list = languages.map { ["code": $0.code, "name": $0.catalogue.name, "dir": $0.direction.rawValue] }
        return out.replacingOccurrences(of: "__LANG__", with: m.code)
            .replacingOccurrences(of: "__DIR__", with: m.direction.rawValue)
            .replacingOccurrences(of: "__MESSAGES__", with: scriptData(messagesObject(m)))
            .replacingOccurrences(of: "__LANGUAGES__", with: scriptData(list))
    }

    /// The messages the page's script needs: the language's own, English for any it lacks, and
    /// how the language writes (direction, digits).
    static func messagesObject(_ m: Messages) -> [String: Any] {
        var messages: [String: Any] = [:]
        let english = Messages.english.catalogue
        for (key, entry) in english.entries.merging(m.catalogue.entries, uniquingKeysWith: { _, own in own }) {
            switch entry {
            case .text(let t): messages[key] = t
            case .plural(let forms): messages[key] = Dictionary(uniqueKeysWithValues: forms.map { ($0.key.rawValue, $0.value) })
            }
        }
        return ["lang": m.code, "dir": m.direction.rawValue, "digits": m.catalogue.digits.rawValue, "messages": messages]
    }

    /// JSON safe inside a `<script type="application/json">` block (no `</script>` can end it early).
    static func scriptData(_ value: Any) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self).replacingOccurrences(of: "<", with: "\\u003c")
    }

    /// Text safe inside a double-quoted HTML attribute.
    static func attribute(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    /// Text safe as HTML element content or attribute value.
    static func text(_ s: String) -> String { attribute(s) }

    /// Everything from this server only; no inline script or style.
    static var contentSecurityPolicy: String {
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; worker-src 'self'; connect-src 'self'"
    }

    static var headers: HTTPFields {
        [
            // Always revalidated: the service worker fetches from the network first and
            // falls back to its copy only when the server does not answer.
            .cacheControl: "no-cache",
            .contentSecurityPolicy: Self.contentSecurityPolicy,
        ]
    }

    func add(to router: Router<Context>) {
        for asset in assets {
            router.get(RouterPath(asset.path)) { _, _ in
                var headers = Self.headers
                headers[.contentType] = asset.contentType
                return Response(status: .ok, headers: headers, body: .init(byteBuffer: asset.body))
            }
        }
        for (path, report) in [("/", false), ("/report", true)] {
            router.get(RouterPath(path)) { request, _ in
                let m = AnswerLanguage.forPage(request, defaultLanguage: defaultLanguage)
                let page = pages[m.code] ?? pages["en"]!
                var headers = Self.headers
                headers[.contentType] = "text/html; charset=utf-8"
                headers[.contentLanguage] = m.code
                headers[.vary] = "Accept-Language"
                return Response(status: .ok, headers: headers, body: .init(byteBuffer: report ? page.report : page.kiosk))
            }
        }
    }
}
