import BDSCore
import BDSImport
import BDSStore
import BDSTestSupport
import Foundation
import Logging
import Testing

/// The shipped upstream definitions (`default = false` in `importers/`), each run as a maintainer
/// would with `--file ID=PATH --retrieved DATE`, over a fixture cut from the real file
/// (Fixtures/upstream/README.md says from where).
@Suite("Shipped upstream definitions on the real files' shapes")
struct UpstreamDefinitionTests {
    static func upstream(_ name: String) -> String { ImportHarness.fixture("upstream/" + name) }

    /// Builds the shipped definitions `names`, reading `files[id]` for each source, dated `retrieved`,
    /// after the shipped default definitions `first` as they are.
    static func build(
        _ names: [String], files: [String: String], retrieved: String = "2026-11-30", after first: [String] = []
    ) throws -> (ImportHarness, BuildReport) {
        var definitions = try first.map { try ImportDefinition(contentsOf: ShippedStore.repository + "/importers/" + $0) }
        for name in names {
            var d = try ImportDefinition(contentsOf: ShippedStore.repository + "/importers/" + name)
            #expect(!d.source.includedByDefault, "\(name) is an upstream definition, built only on request")
            #expect(d.source.location.hasPrefix("https://"), "\(name) fetches its source")
            d.source.location = try #require(files[d.source.id], "no fixture for \(d.source.id)")
            d.source.retrieved = retrieved
            definitions.append(d)
        }
        let store = try ImportHarness.temporaryDirectory() + "/store.sqlite"
        let report = try StoreBuilder(
            definitions: definitions, displayRoot: ImportHarness.fixture(""), origin: "test", logger: Logger(label: "test")
        ).build(to: store)
        return (ImportHarness(project: ShippedStore.repository, storePath: store), report)
    }

    // MARK: - UN OHCHR table

    @Test("OHCHR table: both parts, footnotes stripped, removal dates read from the data")
    func ohchrTable() throws {
        let path = Self.upstream("ohchr-table.csv")
        let (h, report) = try Self.build(["92-un-ohchr-table.toml"], files: ["un-ohchr-table": path])

        // The oracle: the second table starts where the row number falls back to 1. No field before
        // the first comma is quoted in this file.
        // CRLF line ends, as in the upstream file.
        let lines = try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: .newlines)
            .filter { !$0.isEmpty }.dropFirst()
        let numbers = lines.map { Int($0.prefix { $0 != "," })! }
        let restart = try #require(numbers.indices.dropFirst().first { numbers[$0] == 1 })
        let listed = restart, removed = numbers.count - restart
        #expect(removed > 0 && listed > removed)

        #expect(report.sources.first?.records == numbers.count)
        #expect(try h.rows("SELECT count(*) FROM listing WHERE end_date IS NULL") == [[String(listed)]])
        #expect(try h.rows("SELECT count(*) FROM listing WHERE end_date IS NOT NULL") == [[String(removed)]])
        #expect(try h.rows("SELECT count(*) FROM entity") == [[String(numbers.count)]])

        func listing(_ name: String) throws -> [[String?]] {
            try h.rows(
                """
                SELECT l.end_date, l.end_reason, l.reasons, e.country FROM listing l JOIN entity e ON e.id = l.entity_id
                WHERE e.name = '\(name)'
                """)
        }
        // Removed: "12,Steconfer S.A.,"(a), (e)",Portugal,17 July 2026".
        let steconfer = try listing("Steconfer S.A.")
        #expect(steconfer.first?[0] == "2026-07-17")
        #expect(steconfer.first?[1] == "Removed from the database by the OHCHR")
        #expect(steconfer.first?[2]?.contains("activity (a)") == true && steconfer.first?[2]?.contains("activity (e)") == true)
        #expect(try listing("ACS Actividades de Construcción y Servicios S.A.").first?[0] == "2025-12-08")
        // Listed, with a response date in the last column: still listed.
        let ahava = try listing("Ahava – Dead Sea Laboratories Ltd.")
        #expect(ahava.count == 1 && ahava[0][0] == nil)
        // Footnote letters, glued or after a space, are not part of the name.
        #expect(try listing("Ashtrom Residential Development Ltd.").count == 1)
        #expect(try listing("Davidov Garages Ltd.").count == 1)
        #expect(try h.rows("SELECT count(*) FROM entity WHERE name LIKE '%Ltd. _' OR name GLOB '*Ltd.[a-z]'") == [["0"]])
        #expect(try listing("TripAdvisor, Inc.").first?[3] == "United States of America")
        // "(g) (g)" in the table is one activity.
        let field = try listing("Field Produce Ltd.")
        #expect(
            field.first?[2]
                == "Listed for activity (g): using natural resources, in particular water and land, for business purposes")
        #expect(try h.rows("SELECT DISTINCT retrieved FROM listing") == [["2026-11-30"]])
    }

    // MARK: - Community dataset

    @Test(
        "Community dataset: companies, brands, owner links with percentages, evidence URLs from the descriptions, unknown owner ids set aside"
    )
    func communityDataset() throws {
        let path = Self.upstream("community-data.json")
        let (h, report) = try Self.build(
            [
                "93-community-companies.toml", "94-community-brands.toml", "95-community-owners.toml",
                "96-community-alternatives.toml",
            ],
            files: [
                "community-companies": path, "community-brands": path, "community-owners": path, "community-alternatives": path,
            ])

        func sourceURL(_ name: String) throws -> String? {
            try h.rows(
                "SELECT l.source_url FROM listing l JOIN entity e ON e.id = l.entity_id WHERE e.name = '\(name)' ORDER BY l.id"
            ).first?.first ?? nil
        }
        // The first footnote link of the description is the listing's evidence…
        #expect(
            try sourceURL("24S")
                == "https://www.timesofisrael.com/luxury-goods-magnate-bernard-arnault-invests-in-israeli-cybersecurity-firm-wiz/"
        )
        #expect(try sourceURL("Ahava") == "https://en.wikipedia.org/wiki/Ahava")
        // …and without one, the record's own page in the dataset.
        #expect(
            try sourceURL("Sabra")
                == "https://github.com/TechForPalestine/boycott-israeli-consumer-goods-dataset/blob/main/data/brands/sabra.yaml")
        #expect(
            try sourceURL("Strauss Group Ltd.")
                == "https://github.com/TechForPalestine/boycott-israeli-consumer-goods-dataset/blob/main/data/companies/strauss-group.yaml"
        )

        // "support" entries are known and not listed.
        #expect(try h.rows("SELECT count(*) FROM entity WHERE name = 'ulker'") == [["1"]])
        #expect(
            try h.rows("SELECT count(*) FROM listing l JOIN entity e ON e.id = l.entity_id WHERE e.name = 'ulker'") == [["0"]])
        let ahavaReasons = try h.rows(
            "SELECT reasons FROM listing l JOIN entity e ON e.id = l.entity_id WHERE e.name = 'Ahava'")
        #expect(ahavaReasons.first?.first??.contains("operations in Israeli settlements") == true)
        #expect(ahavaReasons.first?.first??.contains("operations in Israel") == true)

        // Owner links by id, each with its own percentage.
        let owners = try h.rows(
            """
            SELECT a.name, b.name, o.percent FROM ownership o
            JOIN entity a ON a.id = o.owned_id JOIN entity b ON b.id = o.owner_id ORDER BY a.name, b.name
            """)
        #expect(
            owners == [
                ["24S", "LVMH", nil], ["Nescafe", "Nestlé", nil], ["Sabra", "PepsiCo, Inc.", "50"],
                ["Sabra", "Strauss Group Ltd.", "50"],
                ["SodaStream", "Strauss Group Ltd.", "50"],
            ])
        // Owner ids the dataset does not hold are set aside, each with its file, line and id.
        let links = try #require(report.sources.first { $0.id == "community-owners" })
        #expect(links.invalid == 3)
        #expect(Set(links.setAside.compactMap(\.value)) == ["mars-inc", "pepsi", "booking"])
        #expect(links.setAside.allSatisfy { $0.file == "upstream/community-data.json" && $0.line != nil })
        // The id that is both a company and a brand is one entity.
        #expect(try h.rows("SELECT count(*) FROM entity WHERE name = 'Adidas'") == [["1"]])
        // Listed by the dataset as a company and as a brand, citing the same page (once with a
        // trailing slash): one card, one source.
        let adidas = try h.store().verdict(for: "Adidas")
        #expect(adidas.listings.count == 1)
        #expect(adidas.listings.first?.listing.otherSources == [])
        // PepsiCo as a company (its own evidence) and as Sabra's and SodaStream's owner: its own card
        // is one; the brands it owns are listed under what it owns.
        let pepsico = try h.store().verdict(for: "PepsiCo, Inc.")
        #expect(pepsico.listings.count == 1)

        let verdict = try h.store().verdict(for: "3Musketeers")
        #expect(verdict.verdict == .listedConsumerBoycott)
        // The dataset's alternatives: a brand it names by id ("ulker", a "support" brand), and words.
        #expect(verdict.alternatives.map { $0.entity?.name } == ["ulker"])
        #expect(
            verdict.alternatives.first?.suggestedBy == "Boycott Israeli consumer goods dataset (Tech for Palestine): alternatives"
        )
        let sabra = try h.store().verdict(for: "Sabra")
        #expect(sabra.alternatives.map(\.text) == ["Any other hummus."])
        // "drinkmate" is not in this cut of the dataset: set aside, not guessed.
        let alternatives = try #require(report.sources.first { $0.id == "community-alternatives" })
        #expect(alternatives.setAside.map(\.value) == ["drinkmate"])
    }

    @Test(
        "Community owner links beside the shipped ownership: Sabra's ended Strauss stake stays history, SodaStream's extra share is not followed, and both answers name both sources"
    )
    func communityOwnersBesideShippedOwnership() throws {
        let path = Self.upstream("community-data.json")
        let shipped = try ImportDefinition.loadAll(directory: ShippedStore.repository + "/importers")
            .filter(\.source.includedByDefault).map { ($0.path as NSString).lastPathComponent }
        let (h, report) = try Self.build(
            ["93-community-companies.toml", "94-community-brands.toml", "95-community-owners.toml"],
            files: ["community-companies": path, "community-brands": path, "community-owners": path], after: shipped)
        let store = try h.store()

        // Sabra: the shipped row says PepsiCo owns 100 % since 2024-12-03 and that Strauss Group's
        // 50 % ended then; the community file (2024) still gives Strauss Group 50 %.
        let sabra = try store.verdict(for: "Sabra")
        #expect(sabra.owners.map(\.owner.name) == ["PepsiCo"])
        #expect(sabra.owners.first?.percent == 100)
        #expect(sabra.owners.first?.startDate == "2024-12-03")
        #expect(sabra.owners.first?.source == "ownership")
        let former = try #require(sabra.formerOwners.first)
        #expect(sabra.formerOwners.count == 1)
        #expect(former.owner.name == "Strauss Group", "the community's “Strauss Group Ltd.” is the same entity")
        #expect(former.startDate == "2008" && former.endDate == "2024-12-03" && former.percent == 50)
        // No listing reaches Sabra through its former owner.
        #expect(!sabra.listings.contains { $0.path.links.contains { $0.owner.name == "Strauss Group" } })
        let reasserted = try #require(sabra.ownershipContradictions.first { $0.kind == .endedReasserted })
        #expect(reasserted.source == "community-owners")
        #expect(reasserted.claim == "Sabra → owned by Strauss Group (50 %)")
        #expect(reasserted.againstSource == "ownership")
        #expect(reasserted.against.hasPrefix("ended on 2024-12-03: Sabra → owned by Strauss Group (50 %, 2008 – 2024-12-03)"))
        #expect(reasserted.sourceURL?.contains("TechForPalestine") == true)

        // SodaStream: PepsiCo holds 100 % (shipped); a further 50 % for Strauss Group cannot also be true.
        let soda = try store.verdict(for: "SodaStream")
        #expect(soda.owners.map(\.owner.name) == ["PepsiCo"])
        let over = try #require(soda.ownershipContradictions.first)
        #expect(over.kind == .sharesOver100)
        #expect(over.source == "community-owners" && over.againstSource == "ownership")
        #expect(over.claim == "SodaStream → owned by Strauss Group (50 %)")
        #expect(over.against.hasPrefix("shares that already add up to 100 %: SodaStream → owned by PepsiCo (100 %"))

        // A barcode answer carries the same history and contradiction as the name.
        let product = try store.verdict(for: "0040822011143")
        #expect(product.formerOwners.map(\.owner.name) == ["Strauss Group"])
        #expect(product.ownershipContradictions.map(\.kind) == [.endedReasserted])
        // Strauss Group's own answer does not reach Sabra through the ended link.
        let strauss = try store.verdict(for: "Strauss Group")
        #expect(!strauss.owns.contains { $0.listing.target.displayName == "Sabra" })

        // The shipped same-as rule: the dataset's owner id "booking" has no record of its own, and
        // its Agoda entry says Booking Holdings owns Agoda.
        let agoda = try store.verdict(for: "Agoda")
        // The shipped ownership names the same owner, so the dataset's link is a second claim of it.
        #expect(agoda.owners.map(\.owner.name) == ["Booking Holdings Inc."])
        #expect(agoda.owners.first?.source == "ownership")
        let links = try #require(report.sources.first { $0.id == "community-owners" })
        #expect(!links.setAside.contains { $0.value == "booking" })
        #expect(Set(links.setAside.compactMap(\.value)) == ["mars-inc", "pepsi"])
        #expect(
            report.notes.contains {
                $0.kind == .sameAs && $0.source == "community-owners"
                    && $0.message.contains("'booking' is taken as 'Booking Holdings Inc.'")
                    && $0.message.contains("datasets/same-as.csv:2")
            })

        // The refresh report names both, under the source whose claim is not followed.
        #expect(report.contradictions.map(\.kind) == [.endedReasserted, .sharesOver100])
        #expect(report.contradictions.allSatisfy { $0.source == "community-owners" })
        #expect(report.contradictions.allSatisfy { $0.message.contains("upstream/community-data.json:") })
    }

    // MARK: - GS1 company prefix lengths

    @Test("GS1's GCP length list: every entry becomes a company-prefix length")
    func gcpLengths() throws {
        let path = ImportHarness.fixture("gcp/data/gcp-prefix-format-list.xml")
        let (h, _) = try Self.build(["91-gs1-gcp-lengths.toml"], files: ["gs1-gcp-lengths": path])
        let entries = try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "<entry ").count - 1
        #expect(entries > 10)
        #expect(try h.rows("SELECT count(*) FROM gcp_length") == [[String(entries)]])
        #expect(try h.rows("SELECT length FROM gcp_length WHERE prefix = '72900'") == [["10"]])
    }

    // MARK: - Open Food Facts export

    @Test("Open Food Facts export: the url column is each product's source; broken codes are set aside with their line")
    func openFoodFacts() throws {
        let path = Self.upstream("off-products.tsv")
        // The GS1 prefix table says which codes are in-store numbers.
        let (h, report) = try Self.build(
            ["90-open-food-facts.toml"], files: ["open-food-facts": path], after: ["10-gs1-prefixes.toml"])
        let stats = try #require(report.sources.first { $0.id == "open-food-facts" })
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").dropFirst()
        #expect(stats.records == lines.count)
        let stored = Int(try h.rows("SELECT count(*) FROM product")[0][0]!)!
        #expect(stored + stats.invalid + stats.nonProductCodes == lines.count, "every row is stored, set aside or counted")
        #expect(stats.nonProductCodes == 2, "00000758 and 00001816 are in-store EAN-8 codes")
        #expect(try h.rows("SELECT count(*) FROM product WHERE gtin IN (758, 1816)") == [["0"]])
        // Four 8-digit codes fail the EAN-8 check; one of them is a valid UPC-E and is kept as that.
        #expect(stats.invalid == 3)
        #expect(Set(stats.setAside.compactMap(\.value)) == ["00012444", "00018097", "00028879"])
        #expect(stats.setAside.allSatisfy { $0.field == "code" && $0.reason.contains("check digit") })
        let firstBad = try #require(lines.firstIndex { $0.hasPrefix("00012444\t") })
        #expect(stats.setAside.first { $0.value == "00012444" }?.line == firstBad - lines.startIndex + 2)
        #expect(try h.rows("SELECT name FROM product WHERE gtin = 200000220").count == 1, "00002220 read as UPC-E")
        #expect(
            try h.rows("SELECT source_url FROM product WHERE gtin = 105000011") == [
                ["http://world-en.openfoodfacts.org/product/0000105000011/chamomile-herbal-tea-lagg-s"]
            ])
        #expect(try h.rows("SELECT DISTINCT retrieved FROM product") == [["2026-11-30"]])
    }

    @Test(
        "The sister databases' exports are read as the Open Food Facts export is: same format and emits, on its fixture",
        arguments: ["99-open-beauty-facts.toml", "99-open-products-facts.toml"])
    func sisterDatabases(name: String) throws {
        func shape(_ file: String) throws -> Substring {
            let text = try String(contentsOfFile: ShippedStore.repository + "/importers/" + file, encoding: .utf8)
            return text[try #require(text.range(of: "\n[format]\n")).lowerBound...]
        }
        #expect(try shape(name) == shape("90-open-food-facts.toml"))
        let d = try ImportDefinition(contentsOf: ShippedStore.repository + "/importers/" + name)
        // No export of these databases was read; the exporter they share writes Open Food Facts' too.
        let path = Self.upstream("off-products.tsv")
        let (h, report) = try Self.build([name], files: [d.source.id: path], after: ["10-gs1-prefixes.toml"])
        let stats = try #require(report.sources.first { $0.id == d.source.id })
        #expect(stats.records == (try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").count - 1))
        #expect(try h.rows("SELECT count(*) FROM product WHERE source_id = '\(d.source.id)'")[0][0].flatMap { Int($0) } ?? 0 > 0)
        #expect(d.source.location.hasPrefix("https://static.open"))
    }
}
