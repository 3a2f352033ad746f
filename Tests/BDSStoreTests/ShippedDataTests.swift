import BDSCore
import BDSImport
import BDSStore
import BDSTestSupport
import Foundation
import GRDB
import Logging
import Testing

/// The project's own datasets and importer definitions (not a fixture): they must build, and the
/// answers a shopper relies on must come out of them.
@Suite("The shipped datasets")
struct ShippedDataTests {
    static var store: Store { ShippedStore.shared }

    /// Reads the shipped store with SQL, for properties no lookup exposes.
    static func read(_ body: (Database) throws -> Void) throws {
        var configuration = Configuration()
        configuration.readonly = true
        try DatabaseQueue(path: store.path, configuration: configuration).read(body)
    }

    @Test("Every listing carries a campaign, a category, a reason, a source URL and the date it was read")
    func everyListingIsSourced() throws {
        try Self.read { db in
            let unsourced = try Int.fetchOne(
                db,
                sql: """
                    SELECT count(*) FROM listing WHERE source_url NOT LIKE 'http%' OR retrieved = '' OR reasons = '' OR campaign = ''
                    """)
            #expect(unsourced == 0)
            // Both parts of the UN database are there: the listed companies and the delisted ones.
            let un = try Row.fetchOne(
                db,
                sql: """
                    SELECT sum(end_date IS NULL), sum(end_date IS NOT NULL) FROM listing WHERE source_id = 'un-ohchr'
                    """)
            #expect((un?[0] as Int? ?? 0) > 0)
            #expect((un?[1] as Int? ?? 0) > 0)
            let unDated = try Int.fetchOne(
                db,
                sql: """
                    SELECT count(*) FROM listing WHERE source_id = 'un-ohchr' AND end_date IS NOT NULL AND end_reason IS NULL
                    """)
            #expect(unDated == 0, "a delisted UN row says why it ended")
        }
    }

    @Test("Every company, brand and product row names its source; no two entities share a name")
    func everyRowIsSourcedAndNamedOnce() throws {
        try Self.read { db in
            let unsourced = try Int.fetchOne(
                db,
                sql: """
                    SELECT (SELECT count(*) FROM entity e LEFT JOIN source s ON s.id = e.source_id
                            WHERE coalesce(e.source_url, s.url, '') NOT LIKE 'http%')
                         + (SELECT count(*) FROM ownership o LEFT JOIN source s ON s.id = o.source_id
                            WHERE coalesce(o.source_url, s.url, '') NOT LIKE 'http%')
                         + (SELECT count(*) FROM product p LEFT JOIN source s ON s.id = p.source_id
                            WHERE coalesce(p.source_url, s.url, '') NOT LIKE 'http%')
                    """)
            #expect(unsourced == 0)
            let sharedNames = try String.fetchAll(
                db,
                sql: """
                    SELECT norm FROM alias WHERE derived_from IS NULL GROUP BY norm HAVING count(DISTINCT entity_id) > 1
                    """)
            #expect(sharedNames.isEmpty, "names on more than one entity: \(sharedNames)")
            // A short name two entities derive never matches either of them (it only suggests).
            let sharedShort = try String.fetchAll(
                db,
                sql: """
                    SELECT norm FROM alias WHERE derived_from IS NOT NULL GROUP BY norm HAVING count(DISTINCT entity_id) > 1
                    """)
            for norm in sharedShort {
                let v = try Self.store.verdict(for: norm)
                #expect(v.matched.isEmpty && v.verdict == .unknown, "\(norm) must only suggest")
                #expect(v.candidates.count >= 2, "\(norm) suggests each entity deriving it")
            }
        }
    }

    @Test(
        "Named brands reach their listed companies",
        arguments: [
            ("hyperx", "HP Inc.", "HyperX → owned by HP Inc."),
            ("Hewlett Packard", "HP Inc.", "HP Inc."),
            ("Fanta", "The Coca-Cola Company", "Fanta → owned by The Coca-Cola Company"),
            ("Alienware", "Dell Technologies", "Alienware → owned by Dell Technologies"),
        ])
    func brandChains(query: String, listed: String, path: String) throws {
        let v = try Self.store.verdict(for: query)
        #expect([.listedConsumerBoycott, .listedOther].contains(v.verdict))
        let match = try #require(v.listings.first { $0.listing.target.displayName == listed })
        #expect(match.path.text == path)
        #expect(match.listing.sourceURL.hasPrefix("https://"))
    }

    @Test("The Wikidata definitions ask about exactly the items of datasets/wikidata-items.csv, each row with its page and date")
    func wikidataItemsAgreeWithTheQueries() throws {
        let root = ShippedStore.repository
        let lines = try String(contentsOfFile: root + "/datasets/wikidata-items.csv", encoding: .utf8)
            .split(separator: "\n").map(String.init)
        #expect(lines.first == "entity,wikidata,source_url,retrieved")
        var items: Set<String> = []
        for line in lines.dropFirst() {
            // Names with commas are quoted; the last three fields never are.
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).suffix(3).map(String.init)
            #expect(fields.count == 3 && fields[0].hasPrefix("Q") && fields[1].hasPrefix("https://"), "\(line)")
            #expect(fields.last?.range(of: #"^\d{4}(-\d{2}){0,2}$"#, options: .regularExpression) != nil, "\(line)")
            items.insert(fields[0])
        }
        try Self.read { db in
            let stored = try Int.fetchOne(db, sql: "SELECT count(*) FROM entity_key WHERE scheme = 'wikidata'")
            #expect(stored == items.count, "every item is stored with its entity")
        }
        for name in ["97-wikidata-names.toml", "98-wikidata-ownership.toml"] {
            let text = try String(contentsOfFile: root + "/importers/" + name, encoding: .utf8)
            let block = try #require(
                text.range(of: #"VALUES \?item \{[^}]*\}"#, options: .regularExpression).map { String(text[$0]) })
            let asked = Set(
                block.split(whereSeparator: { $0 == " " || $0 == "\n" }).filter { $0.hasPrefix("wd:Q") }.map {
                    String($0.dropFirst(3))
                })
            #expect(asked == items, "\(name): run scripts/wikidata-values.py")
        }
    }

    @Test("Sabra is listed as a consumer boycott target, with its owner shown")
    func sabra() throws {
        let v = try Self.store.verdict(for: "sabra")
        #expect(v.verdict == .listedConsumerBoycott)
        #expect(v.owners.contains { $0.owner.name == "PepsiCo" })
    }

    @Test(
        "Grassroots boycotts are headed as such, not as \"listed (not as a consumer boycott)\"",
        arguments: ["McDonald's", "Coca-Cola"])
    func grassroots(query: String) throws {
        let v = try Self.store.verdict(for: query)
        #expect(v.headline.text == "Grassroots boycott target")
    }

    @Test(
        "Caveats in the data reach the answer",
        arguments: [
            ("Siemens", "licence is not ownership"),
            ("Mehadrin", "kosher-certification term"),
        ])
    func caveats(query: String, caveat: String) throws {
        let v = try Self.store.verdict(for: query)
        #expect(v.notes.contains { $0.note.contains(caveat) }, "\(v.notes)")
    }

    @Test("A 729 barcode with no known product is a hint only")
    func israelPrefix() throws {
        let v = try Self.store.verdict(for: "7290011498382")
        #expect(v.verdict == .hintOnly)
        #expect(v.barcode?.allocation == "GS1 Israel")
    }

    @Test(
        "The prefix table names GS1's newest member organisations",
        arguments: [
            ("3812345678908", "GS1 Kosovo"), ("8871234567896", "GS1 Laos"),
        ])
    func newestPrefixes(code: String, issuer: String) throws {
        let v = try Self.store.verdict(for: code)
        #expect(v.barcode?.allocation == issuer)
        #expect(v.barcode?.allocationLabel.contains(issuer) == true)
    }

    @Test("Entries absent from later copies are history, not verdicts", arguments: ["Puma"])
    func endedEntries(query: String) throws {
        let v = try Self.store.verdict(for: query)
        #expect(v.verdict == .noListingFound)
        #expect(!v.history.isEmpty)
    }

    @Test("A delisted UN company is history", arguments: ["Alstom S. A.", "eDreams ODIGEO S.A."])
    func delistedUN(query: String) throws {
        let v = try Self.store.verdict(for: query)
        #expect(v.listings.isEmpty)
        #expect(v.history.first?.listing.category == .unDatabase)
    }
}
