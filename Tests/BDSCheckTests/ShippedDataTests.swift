import BDSCore
import BDSImport
import BDSStore
import Foundation
import GRDB
import Logging
import Testing

/// The project's own datasets and importer definitions (not a fixture): they must build, and the
/// answers a shopper relies on must come out of them.
@Suite("The shipped datasets")
struct ShippedDataTests {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    static let store: Store = {
        do {
            let definitions = try ImportDefinition.loadAll(directory: repository + "/importers").filter(\.source.includedByDefault)
            let path = try FixtureStore.temporaryDirectory() + "/shipped.sqlite"
            try StoreBuilder(definitions: definitions, displayRoot: repository, origin: "test", logger: Logger(label: "test"))
                .build(to: path)
            return try Store(path: path)
        } catch {
            fatalError("the shipped datasets do not build: \(error)")
        }
    }()

    @Test("Every listing carries a campaign, a category, a reason, a source URL and the date it was read")
    func everyListingIsSourced() throws {
        let path = Self.store.path
        let queue = try DatabaseQueue(path: path, configuration: { var c = Configuration(); c.readonly = true; return c }())
        try queue.read { db in
            let unsourced = try Int.fetchOne(db, sql: """
                SELECT count(*) FROM listing WHERE source_url NOT LIKE 'http%' OR retrieved = '' OR reasons = '' OR campaign = ''
                """)
            #expect(unsourced == 0)
            let un = try Row.fetchOne(db, sql: """
                SELECT sum(end_date IS NULL), sum(end_date IS NOT NULL) FROM listing WHERE source_id = 'un-ohchr'
                """)
            #expect(un?[0] as Int? == 153)
            #expect(un?[1] as Int? == 12)
        }
    }

    @Test("Named brands reach their listed companies", arguments: [
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

    @Test("Sabra is listed as a consumer boycott target, with its owner shown")
    func sabra() throws {
        let v = try Self.store.verdict(for: "sabra")
        #expect(v.verdict == .listedConsumerBoycott)
        #expect(v.owners.contains { $0.owner.name == "PepsiCo" })
    }

    @Test("A 729 barcode with no known product is a hint only")
    func israelPrefix() throws {
        let v = try Self.store.verdict(for: "7290011498382")
        #expect(v.verdict == .hintOnly)
        #expect(v.barcode?.allocation == "GS1 Israel")
    }

    @Test("The prefix table names GS1's newest member organisations", arguments: [
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
