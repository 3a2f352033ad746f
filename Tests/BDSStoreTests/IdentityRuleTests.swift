import BDSCore
import BDSImport
import BDSStore
import BDSTestSupport
import Foundation
import Logging
import Testing

/// Identity by evidence (docs/IDENTITY.md, section 8): maintained `same-as` and `not-same` rules,
/// `link = "never-merge"`, and Wikidata items, each against names that normalise alike.
@Suite("Identity rules: same-as, not-same, never-merge and Wikidata items")
struct IdentityRuleTests {
    static let curatedRows = """
        name,kind,owner,listed,qid
        PepsiCo,company,,,Q334800
        Dove,brand,PepsiCo,Dove,
        Royal Foods,company,,Royal Foods,Q1000001

        """

    /// Builds `files` (relative paths → contents) beside the curated source, as a project.
    static func build(_ files: [String: String]) throws -> (BuildReport, Store) {
        var all = files
        all["importers/10-curated.toml"] = FixtureStore.curatedDefinition
        all["curated.csv"] = all["curated.csv"] ?? curatedRows
        return try FixtureStore.build(files: all)
    }

    static func rules(_ target: String, _ rows: String) -> [String: String] {
        [
            "importers/05-\(target).toml": """
            [source]
            id = "\(target)"
            name = "Rules"
            file = "../\(target).csv"
            [format]
            type = "csv"
            [[emit]]
            into = "\(target)"
            [emit.fields]
            source = "source"
            key = "key"
            entity = "entity"
            reason = "reason"
            source_url = "source_url"
            """,
            "\(target).csv": "source,key,entity,reason,source_url\n" + rows,
        ]
    }

    /// A community-shaped list: brands by id, owners named by id, and a product per brand.
    static func list(link: String = "create") -> [String: String] {
        [
            "importers/20-list.toml": """
            [source]
            id = "list"
            name = "A list"
            url = "https://example.org/list"
            retrieved = "2026-11-02"
            file = "../list.csv"
            [format]
            type = "csv"
            [[emit]]
            into = "brand"
            link = "\(link)"
            [emit.fields]
            name = "name"
            key = "id"
            [[emit]]
            into = "ownership"
            link = "\(link)"
            skip-when-empty = ["owner"]
            on-invalid = "report"
            [emit.fields]
            owned = "name"
            owner = "owner_id"
            [[emit]]
            into = "product"
            link = "\(link)"
            [emit.fields]
            gtin = "gtin"
            name = "product"
            brand = "name"
            """,
            "list.csv": "id,name,owner_id,gtin,product\nsoda-x,Soda X,pepsi,4000000001034,Soda X cola\n"
                + "dove,Dove,,4000000001058,Dove soap\n",
            // Another source's product of a brand named Dove, with no rule about it.
            "importers/30-shop.toml": """
            [source]
            id = "shop"
            name = "A shop's list"
            url = "https://example.org/shop"
            retrieved = "2026-11-03"
            file = "../shop.csv"
            [format]
            type = "csv"
            [[emit]]
            into = "product"
            [emit.fields]
            gtin = "gtin"
            name = "name"
            brand = "brand"
            """,
            "shop.csv": "gtin,name,brand\n4000000001065,Dove chocolate,Dove\n",
        ]
    }

    @Test("same-as: an owner id the list does not hold is the entity the rule names, with a note citing the rule")
    func sameAsByKey() throws {
        var files = Self.list()
        for (k, v) in Self.rules(
            "same-as", "list,pepsi,PepsiCo,The list's id 'pepsi' has no record; it means PepsiCo,https://example.org/why\n")
        {
            files[k] = v
        }
        let (report, store) = try Self.build(files)
        let soda = try store.verdict(for: "Soda X")
        #expect(soda.owners.map(\.owner.name) == ["PepsiCo"])
        #expect(report.sources.first { $0.id == "list" }?.invalid == 0)
        #expect(
            report.notes.contains {
                $0.kind == .sameAs && $0.message.contains("'pepsi' is taken as 'PepsiCo': The list's id 'pepsi' has no record")
                    && $0.message.contains("same-as.csv:2")
            })
        #expect(!report.notes.contains { $0.kind == .identityRuleUnused })
        // Without the rule the link is set aside, not guessed.
        let (plain, _) = try Self.build(Self.list())
        #expect(plain.sources.first { $0.id == "list" }?.setAside.map(\.value) == ["pepsi"])
    }

    @Test("not-same: the list's Dove stays apart from the listed Dove and gives no listing; other sources are untouched")
    func notSame() throws {
        var files = Self.list()
        for (k, v) in Self.rules(
            "not-same", "list,dove,Dove,The list's Dove is a soap brand of another company,https://example.org/dove\n")
        {
            files[k] = v
        }
        let (report, store) = try Self.build(files)
        #expect(report.notes.contains { $0.kind == .notSame && $0.message.contains("'Dove' is kept apart from 'Dove'") })
        let soap = try store.verdict(for: "4000000001058")
        #expect(soap.verdict == .noListingFound)
        #expect(soap.listings.isEmpty)
        #expect(
            soap.product?.brand?.note
                == "Not the same as “Dove”: The list's Dove is a soap brand of another company (https://example.org/dove)")
        // A typed name finds the curated, listed Dove only.
        let typed = try store.verdict(for: "Dove")
        #expect(typed.verdict == .listedConsumerBoycott)
        #expect(typed.matched.count == 1)
        // The rule is about the list: the shop's Dove product joins the listed Dove as before.
        #expect(try store.verdict(for: "4000000001065").verdict == .listedConsumerBoycott)
        // And without the rule, the list's Dove joins the listed one.
        let (_, plain) = try Self.build(Self.list())
        #expect(try plain.verdict(for: "4000000001058").verdict == .listedConsumerBoycott)
    }

    @Test("never-merge: no name of the source joins another source's entity, and no other name joins the source's")
    func neverMerge() throws {
        let (report, store) = try Self.build(Self.list(link: "never-merge"))
        let soap = try store.verdict(for: "4000000001058")
        #expect(soap.verdict == .noListingFound)
        #expect(soap.product?.brand?.note?.hasPrefix("Kept apart from “Dove”") == true)
        #expect(report.notes.contains { $0.kind == .neverMerge })
        // Its own entities are found again by its later rows (the brand, then its product).
        let soda = try store.verdict(for: "4000000001034")
        #expect(soda.product?.brand?.name == "Soda X")
        #expect(try store.verdict(for: "Soda X").verdict == .unknown, "a never-merge entity has no alias to type")
        // The owner id is not joined by name either: set aside, as no entity of the list holds it.
        #expect(report.sources.first { $0.id == "list" }?.setAside.map(\.value) == ["pepsi"])
        #expect(try store.verdict(for: "4000000001065").verdict == .listedConsumerBoycott)
    }

    @Test("Wikidata items: the same item joins records whatever their names; different items never join by name")
    func wikidataItems() throws {
        let files = [
            "importers/20-wiki.toml": """
            [source]
            id = "wiki"
            name = "Items"
            url = "https://example.org/wiki"
            file = "../wiki.csv"
            [format]
            type = "csv"
            [[emit]]
            into = "company"
            [emit.fields]
            name = "name"
            wikidata = "qid"
            """,
            "wiki.csv": "name,qid\nPepsiCo Inc. (Purchase NY),Q334800\nRoyal Foods,Q2000002\n",
        ]
        let (report, store) = try Self.build(files)
        #expect(try store.verdict(for: "PepsiCo Inc. (Purchase NY)").matched.first?.name == "PepsiCo")
        #expect(
            report.notes.contains {
                $0.kind == .wikidataMerge && $0.message.contains("is kept apart from 'Royal Foods' (Q1000001)")
            })
        let royal = try store.verdict(for: "Royal Foods")
        #expect(royal.matched.count == 1, "the other item has no alias")
        #expect(royal.verdict == .listedConsumerBoycott)
        #expect {
            _ = try Self.build(["importers/20-wiki.toml": files["importers/20-wiki.toml"]!, "wiki.csv": "name,qid\nX,34\n"])
        } throws: { "\($0)".contains("a Wikidata item is Q followed by digits") && "\($0)".contains("wiki.csv:2") }
    }

    @Test("A rule naming an entity nobody loaded is an error at the rule's own line; a rule that matched nothing is noted")
    func ruleErrors() throws {
        var files = Self.list()
        for (k, v) in Self.rules("same-as", "list,pepsi,Pepsi Bottling Ventures,typo,https://example.org/why\n") { files[k] = v }
        #expect {
            _ = try Self.build(files)
        } throws: {
            let text = "\($0)"
            return text.contains("same-as.csv:2") && text.contains("Pepsi Bottling Ventures")
                && text.contains("names no company or brand loaded before")
        }
        var unused = Self.list()
        for (k, v) in Self.rules("not-same", "list,no-such-id,Dove,reason,https://example.org/why\n") { unused[k] = v }
        let (report, _) = try Self.build(unused)
        #expect(
            report.notes.contains {
                $0.kind == .identityRuleUnused && $0.message.contains("not-same.csv:2")
                    && $0.message.contains("'no-such-id' matched no record")
            })
    }
}
