import Foundation
import Hummingbird

/// `GET /` and its assets: the kiosk page with its reset delay and data age limit filled in, its
/// style sheet and script, and the service worker that keeps them for a reload while the server is down.
struct KioskRoutes<Context: RequestContext>: Sendable {
    struct Asset: Sendable {
        var path: String
        var contentType: String
        var body: ByteBuffer
    }

    let assets: [Asset]

    init(resources: ServerResources, resetSeconds: Int, maxDataAgeSeconds: Int? = nil, publicURL: String? = nil) {
        let page = resources.kioskPage.replacingOccurrences(of: "__RESET_SECONDS__", with: String(resetSeconds))
            .replacingOccurrences(of: "__MAX_DATA_AGE_SECONDS__", with: String(maxDataAgeSeconds ?? 0))
            .replacingOccurrences(of: "__PUBLIC_URL__", with: Self.attribute(publicURL ?? ""))
        assets = [
            Asset(path: "/", contentType: "text/html; charset=utf-8", body: ByteBuffer(string: page)),
            Asset(path: "/kiosk.css", contentType: "text/css; charset=utf-8", body: ByteBuffer(string: resources.kioskStyle)),
            Asset(
                path: "/kiosk.js", contentType: "text/javascript; charset=utf-8", body: ByteBuffer(string: resources.kioskScript)),
            Asset(
                path: "/kiosk-sw.js", contentType: "text/javascript; charset=utf-8",
                body: ByteBuffer(string: resources.kioskWorker)),
            Asset(path: "/report", contentType: "text/html; charset=utf-8", body: ByteBuffer(string: resources.reportPage)),
            Asset(
                path: "/report.js", contentType: "text/javascript; charset=utf-8",
                body: ByteBuffer(string: resources.reportScript)),
        ]
    }

    /// Text safe inside a double-quoted HTML attribute.
    static func attribute(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    /// Everything from this server only; no inline script or style.
    static var contentSecurityPolicy: String {
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; worker-src 'self'; connect-src 'self'"
    }

    func add(to router: Router<Context>) {
        for asset in assets {
            router.get(RouterPath(asset.path)) { _, _ in
                Response(
                    status: .ok,
                    headers: [
                        .contentType: asset.contentType,
                        // Always revalidated: the service worker fetches from the network first and
                        // falls back to its copy only when the server does not answer.
                        .cacheControl: "no-cache",
                        .contentSecurityPolicy: Self.contentSecurityPolicy,
                    ],
                    body: .init(byteBuffer: asset.body)
                )
            }
        }
    }
}
