import Foundation
import Hummingbird

/// `GET /`: the kiosk page, one self-contained HTML file with its reset delay filled in.
struct KioskRoutes<Context: RequestContext>: Sendable {
    let page: ByteBuffer

    init(template: String, resetSeconds: Int) {
        page = ByteBuffer(string: template.replacingOccurrences(of: "__RESET_SECONDS__", with: String(resetSeconds)))
    }

    func add(to router: Router<Context>) {
        router.get("/") { [page] _, _ in
            Response(
                status: .ok,
                headers: [
                    .contentType: "text/html; charset=utf-8",
                    .cacheControl: "no-cache",
                    .contentSecurityPolicy: "default-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; img-src 'self' data:",
                ],
                body: .init(byteBuffer: page)
            )
        }
    }
}
