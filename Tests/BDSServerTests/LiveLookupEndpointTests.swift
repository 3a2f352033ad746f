import BDSCore
import BDSServer
import BDSStore
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOFoundationEssentialsCompat
import Synchronization
import Testing

/// `serve --online`: the barcode endpoint asks the live lookup only for a product code the store
/// holds no product for, and words the answer from what it said.
@Suite("GET /v1/barcodes with serve --online")
struct LiveLookupEndpointTests {
    @Test("Asked only for codes the store has no product for; the live product's brand goes through the identity rules")
    func online() async throws {
        let asked = Mutex<[String]>([])
        var configuration = ServerConfiguration(port: 0)
        configuration.liveLookup = { gtin in
            asked.withLock { $0.append(gtin.canonical) }
            if gtin.canonical == "4000000000020" {
                return .found(
                    LiveProduct(
                        name: "Hummus", brands: ["Sabra"], brandOwner: "PepsiCo", sourceName: "Open Food Facts",
                        sourceURL: "https://world.openfoodfacts.org/product/4000000000020", fetched: "2026-12-01"), cached: false)
            }
            return .unavailable(source: "Open Food Facts", reason: "no answer within 2 s")
        }
        let server = try TestServer(configuration: configuration)
        try await server.application.test(.router) { client in
            try await client.execute(uri: "/v1/barcodes/4000000000020", method: .get) { response in
                let v = try decode(Verdict.self, response)
                #expect(v.verdict == .listedConsumerBoycott)
                #expect(v.product?.fetchedLive == "Open Food Facts")
                #expect(v.product?.brand?.name == "Sabra")
            }
            try await client.execute(uri: "/v1/barcodes/4000000000037", method: .get) { response in
                let v = try decode(Verdict.self, response)
                #expect(v.verdict == .unknown)
                #expect(v.hints.contains { $0.kind == "live-lookup" && $0.text.contains("this is the offline answer") })
            }
            // The store knows this one: nobody is asked.
            try await client.execute(uri: "/v1/barcodes/0040822011143", method: .get) { response in
                let v = try decode(Verdict.self, response)
                #expect(v.verdict == .listedConsumerBoycott)
            }
        }
        #expect(asked.withLock { $0 } == ["4000000000020", "4000000000037"])
    }
}
