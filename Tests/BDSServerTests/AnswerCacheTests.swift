import BDSCore
import BDSTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOFoundationEssentialsCompat
import Testing

@testable import BDSServer

@Suite("Barcode answers kept for codes scanned again")
struct AnswerCacheTests {
    func answer(_ text: String) -> AnswerCache.Answer {
        AnswerCache.Answer(body: ByteBuffer(string: text), status: .ok, level: .noListingFound)
    }

    @Test("An answer is kept only when its code is asked for a second time")
    func secondAsking() {
        let cache = AnswerCache(limitBytes: 1 << 20)
        let key = AnswerCache.key(language: "en", code: "4000000000013")
        cache.keep(answer("first"), for: key)
        #expect(cache.answer(for: key) == nil, "a code seen once is not kept")
        cache.keep(answer("second"), for: key)
        #expect(cache.answer(for: key).map { String(buffer: $0.body) } == "second")
        #expect(cache.entries == 1)
        #expect(cache.hits == 1 && cache.misses == 1)
        // Another language's answer to the same code is another entry.
        #expect(cache.answer(for: AnswerCache.key(language: "ar", code: "4000000000013")) == nil)
    }

    @Test("The budget holds: the oldest answers go first")
    func budget() {
        let body = String(repeating: "x", count: 1000)
        let cache = AnswerCache(limitBytes: 16 * 4 * 1200, shardCount: 16)
        let keys = (0..<2000).map { AnswerCache.key(language: "en", code: String(format: "%013d", $0)) }
        for key in keys {
            cache.keep(answer(body), for: key)
            cache.keep(answer(body), for: key)
        }
        #expect(cache.bytes <= cache.limitBytes)
        #expect(cache.entries > 0 && cache.entries < keys.count)
        #expect(cache.answer(for: keys.last!) != nil, "the newest answer is kept")
        #expect(cache.answer(for: keys.first!) == nil, "the oldest went first")
        let none = AnswerCache(limitBytes: 0)
        none.keep(answer(body), for: keys[0])
        none.keep(answer(body), for: keys[0])
        #expect(none.answer(for: keys[0]) == nil && none.entries == 0)
    }

    @Test("A code asked for again gets the same bytes, counted as a verdict each time, in its own language")
    func endpoint() async throws {
        let server = try TestServer()
        try await server.application.test(.router) { client in
            var bodies: [String] = []
            for _ in 0..<3 {
                try await client.execute(uri: "/v1/barcodes/0040822011143", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.vary] == "Accept-Language")
                    bodies.append(String(buffer: response.body))
                }
            }
            #expect(Set(bodies).count == 1)
            try await client.execute(uri: "/v1/barcodes/0040822011143?lang=ar", method: .get) { response in
                #expect(String(buffer: response.body) != bodies[0])
                #expect(String(buffer: response.body).contains(#""lang":"ar""#))
            }
            try await client.execute(uri: "/metrics", method: .get) { response in
                let text = String(buffer: response.body)
                #expect(text.contains(#"bdscheck_answer_cache_requests_total{result="hit"} 1"#))
                #expect(text.contains("bdscheck_answer_cache_entries 1"))
                #expect(text.contains(#"bdscheck_verdicts_total{verdict="listed-consumer-boycott"} 4"#))
            }
        }
        #expect(server.holder.current.answers.entries == 1)
        try server.holder.reload()
        #expect(server.holder.current.answers.entries == 0, "a reload starts with no answers kept")
    }
}
