import BDSCore
import BDSStore
import Foundation
import GRDB
import Testing

/// The hand-written JSON writer must give exactly the bytes `JSONEncoder` gives, for every answer
/// the stores can produce, so that the CLI, the HTTP API and docs/JSON.md speak one format.
@Suite("JSONWriter matches JSONEncoder")
struct JSONWriterTests {
    func expectSameBytes(_ verdict: Verdict, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let expected = try JSONOutput.encoder(pretty: false).encode(verdict)
        let written = JSONWriter.encode(verdict)
        #expect(
            String(decoding: written, as: UTF8.self) == String(decoding: expected, as: UTF8.self),
            "query \(verdict.query)", sourceLocation: sourceLocation
        )
    }

    /// Every barcode, name and alias in a store, and near misses of each, through `Store.verdict(for:)`.
    func everyQuery(in store: Store, path: String) throws -> [String] {
        var config = Configuration()
        config.readonly = true
        let db = try DatabaseQueue(path: path, configuration: config)
        let (gtins, names) = try db.read { db in
            (try Int64.fetchAll(db, sql: "SELECT gtin FROM product UNION SELECT gtin FROM listing WHERE gtin IS NOT NULL"),
             try String.fetchAll(db, sql: "SELECT name FROM alias"))
        }
        let codes = gtins.compactMap { GTIN(storageKey: UInt64($0))?.canonical }
        var queries = codes + names
        queries += names.map { String($0.dropLast()) }          // fuzzy candidates with scores
        queries += codes.map { String($0.dropLast()) + "0" }    // mostly wrong check digits
        queries += ["", "abc", "7290000000015", "9771234567003", "9780306406157", "2000000000008", "  12-34 "]
        // Every reading shape: GS1 codes with elements and dates, symbology identifiers, notes, problems.
        queries += [
            "https://id.gs1.org/01/00040822011143/10/A%22B?17=271200", "]d201000408220111431727123110LOT\u{1D}21S",
            "(01)00040822011143(17)2712", "]E00040822011143", "012345", "(00)123456789012345675", "]E0x\u{0}",
        ]
        return queries
    }

    @Test("fixture project: every verdict")
    func fixtureVerdicts() throws {
        let store = FixtureStore.shared
        let queries = try everyQuery(in: store, path: store.path)
        #expect(queries.count > 40)
        var listed = 0
        for q in queries {
            let v = try store.verdict(for: q)
            if !v.listings.isEmpty || !v.history.isEmpty { listed += 1 }
            try expectSameBytes(v)
        }
        #expect(listed > 5, "the fixture should exercise listings and history")
    }

    @Test("shipped data: every verdict")
    func shippedVerdicts() throws {
        let store = ShippedDataTests.store
        for q in try everyQuery(in: store, path: store.path) {
            try expectSameBytes(try store.verdict(for: q))
        }
    }

    @Test("strings that need escaping, and numbers in every form JSONEncoder writes")
    func escapingAndNumbers() throws {
        let awkward = "a\"b\\c/d\u{0}\u{1}\u{1f}\n\r\t\u{8}\u{c}\u{7f} é 😀 \u{2028} \u{FEFF}"
        let entity = EntityRef(id: -42, name: awkward, kind: .brand, country: "IL", note: nil)
        let owner = EntityRef(id: Int64.max, name: "Owner \"Co\"", kind: .company, country: nil, note: "n\u{2}")
        var links: [OwnershipLink] = []
        for p in [0.1, 100.0, 1e-7, 1e21, 50.5, 33.333333333333336, 1e16, 99.99999999999999, -0.0] {
            links.append(OwnershipLink(owned: entity, owner: owner, percent: p, sourceURL: "https://x/y?a=1&b=2", retrieved: "2026"))
        }
        links.append(OwnershipLink(owned: entity, owner: owner, percent: nil, sourceURL: nil, retrieved: nil))
        let listing = Listing(
            id: Int64.min, target: .companyPrefix("7290"), campaign: awkward, category: .unDatabase,
            reasons: [awkward, "", "x"], sourceURL: "https://example.org/ä", retrieved: "2026-11",
            startDate: "2020", endDate: "2025-01-02", endReason: awkward
        )
        let product = Listing(id: 0, target: .product(gtin: "07290011498382"), campaign: "c", category: .other,
                              reasons: [], sourceURL: "u", retrieved: "r")
        let v = Verdict(
            query: awkward, kind: .name,
            product: ProductInfo(gtin: "1", name: awkward, brand: entity, sourceURL: nil, retrieved: "x"),
            matched: [entity, owner], owners: links,
            listings: [ListingMatch(listing: product, path: LinkPath(start: awkward, links: links))],
            history: [ListingMatch(listing: listing, path: LinkPath(start: "s", links: []))],
            hints: [Hint(kind: "issuer", text: awkward)],
            candidates: [0.0, 1.0, 0.8333333333333334, 0.123456789].map {
                Candidate(entity: owner, matchedName: awkward, score: $0)
            },
            problem: InputProblem(message: awkward, expectedCheckDigit: 7, correctedCode: "123")
        )
        try expectSameBytes(v)
        try expectSameBytes(Verdict(query: "", kind: .barcode, problem: InputProblem(message: "m")))
    }
}
