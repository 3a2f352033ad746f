import Foundation
import Hummingbird

/// `GET /`: the kiosk page, one self-contained HTML file with its reset delay and data age limit filled in.
struct KioskRoutes<Context: RequestContext>: Sendable {
    let page: ByteBuffer

    init(template: String, resetSeconds: Int, maxDataAgeSeconds: Int? = nil) {
        page = ByteBuffer(
            string: template.replacingOccurrences(of: "__RESET_SECONDS__", with: String(resetSeconds))
                .replacingOccurrences(of: "__MAX_DATA_AGE_SECONDS__", with: String(maxDataAgeSeconds ?? 0))
        )
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
