import BDSCore
import BDSImport
import BDSStore
import BDSTestSupport
import Foundation
import GRDB
import Logging
import Testing

@Suite("Store build and round trip")
struct StoreTests {
    @Test("A built store holds every input row, records each source with its checksum, and opens read-only")
    func roundTrip() throws {
        let dir = try FixtureStore.temporaryDirectory()
        let path = dir + "/store.sqlite"
        let report = try FixtureStore.build(to: path)
        #expect(report.sources.map(\.id) == ["prefixes", "un", "companies", "ownership", "listings", "products"])
        #expect(report.sources.first { $0.id == "listings" }?.inserted["listing"] == 5)

        let store = try Store(path: path)
        let summary = try store.summary()
        #expect(summary.counts["products"] == 3)
        #expect(summary.counts["ownership links"] == 5, "the fixture's sixth row would close a cycle")
        #expect(report.contradictions.map(\.kind) == [.cycle])
        #expect(summary.counts["active listings"] == 5)
        #expect(summary.counts["ended listings"] == 2)
        #expect(summary.counts["ended ownership links"] == 0)
        #expect(summary.counts["ownership contradictions"] == 1, "the cycle")
        #expect(summary.counts["GS1 prefix ranges"] == 9)
        #expect(summary.counts["companies"]! + summary.counts["brands"]! == 14)
        let companies = try #require(summary.sources.first { $0.id == "companies" })
        #expect(companies.records == 12)
        #expect(companies.sha256?.count == 64)
        #expect(companies.origin == SourceOrigin(kind: .definition, location: "datasets/companies.csv"))
        #expect(companies.inserted == ["entity": 12])
        #expect(companies.invalid == 0 && companies.skipped == 0 && companies.nonProductCodes == 0)
        #expect(summary.lastRefresh == nil, "no refresh report beside the store")
        #expect(try store.meta("complete") == "1")

        // Read-only: a write through the store's own connection is refused.
        var config = Configuration()
        config.readonly = true
        let queue = try DatabaseQueue(path: path, configuration: config)
        #expect(throws: (any Error).self) {
            try queue.write { db in try db.execute(sql: "DELETE FROM listing") }
        }
        #expect(!FileManager.default.fileExists(atPath: path + ".building-\(getpid())"))
    }

    @Test("A store built before sources recorded their origin and counts is still summarised, without them")
    func summaryOfOlderStore() throws {
        let path = try FixtureStore.temporaryDirectory() + "/store.sqlite"
        try FixtureStore.build(to: path)
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            for column in [
                "origin", "origin_location", "etag", "last_modified", "obtained_at", "inserted", "invalid", "skipped",
                "non_product_codes",
            ] {
                try db.execute(sql: "ALTER TABLE source DROP COLUMN \(column)")
            }
        }
        try queue.close()
        let summary = try Store(path: path).summary()
        let companies = try #require(summary.sources.first { $0.id == "companies" })
        #expect(companies.records == 12)
        #expect(companies.origin == nil && companies.inserted == nil && companies.invalid == nil)
    }

    @Test("Rebuilding keeps the previous store beside the new one; a failed build leaves no trace")
    func previousKept() throws {
        let project = try FixtureStore.copyProject()
        let path = (project as NSString).deletingLastPathComponent + "/store.sqlite"
        _ = try FixtureStore.build(project: project, to: path)
        _ = try FixtureStore.build(project: project, to: path)
        #expect(FileManager.default.fileExists(atPath: path + ".prev"))
        _ = try Store(path: path + ".prev")

        try "gtin,name,brand,source_url,retrieved\n0040822011149,Bad code,Sabra,https://example.org,2026-01-01\n"
            .write(toFile: project + "/datasets/products.csv", atomically: true, encoding: .utf8)
        #expect(throws: ImportError.self) { try FixtureStore.build(project: project, to: path) }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: (path as NSString).deletingLastPathComponent)
            .filter { $0.contains(".building-") }
        #expect(leftovers.isEmpty)
        #expect(try Store(path: path).summary().counts["products"] == 3)
    }

    @Test(
        "Import errors name the file, line, field and value",
        arguments: [
            (
                "products.csv",
                "gtin,name,brand,source_url,retrieved\n0040822011149,Bad code,Sabra,https://example.org,2026-01-01\n",
                "datasets/products.csv:2: field 'gtin' value '0040822011149': not a valid barcode: check the code"
            ),
            (
                "listings.csv",
                "target,campaign,category,reason,start_date,end_date,end_reason,source_url,retrieved\nSabra,C,consumer-boycott,r,23 May 2025,,,https://example.org,2026-01-01\n",
                "datasets/listings.csv:2: field 'start_date' value '23 May 2025': not an ISO date"
            ),
            (
                "ownership.csv",
                "owned,owner,percent,source_url,retrieved,note\nSabra,PepsiCo,150,https://example.org,2026-01-01,\n",
                "datasets/ownership.csv:2: field 'percent' value '150': a percentage is a number above 0 and at most 100"
            ),
            (
                "companies.csv",
                "name,kind,country,aliases,note,source_url,retrieved\nAcme,brnd,,,,https://example.org,2026-01-01\n",
                "datasets/companies.csv:2: field 'kind' value 'brnd': use company or brand"
            ),
        ])
    func importErrors(file: String, content: String, message: String) throws {
        let project = try FixtureStore.copyProject()
        try content.write(toFile: project + "/datasets/" + file, atomically: true, encoding: .utf8)
        let path = (project as NSString).deletingLastPathComponent + "/store.sqlite"
        do {
            _ = try FixtureStore.build(project: project, to: path)
            Issue.record("the build should have failed")
        } catch let error as ImportError {
            #expect(error.description.hasPrefix(message), "\(error)")
        }
    }
}

@Suite("Invalid records in large exports", .tags(.slow))
struct InvalidRecordTests {
    @Test("on-invalid = report sets broken records aside, counts and lists them, and imports the rest")
    func reportInvalid() throws {
        let project = try FixtureStore.copyProject()
        try
            "gtin,name,brand,source_url,retrieved\n0040822011149,Bad code,Sabra,https://example.org,2026-01-01\n4000000000013,Fixture Bread,Plain Brand,https://example.org,2026-01-01\n"
            .write(toFile: project + "/datasets/products.csv", atomically: true, encoding: .utf8)
        let definition = project + "/importers/60-products.toml"
        let text = try String(contentsOfFile: definition, encoding: .utf8)
            .replacingOccurrences(of: "into = \"product\"", with: "into = \"product\"\non-invalid = \"report\"")
        try text.write(toFile: definition, atomically: true, encoding: .utf8)
        let path = (project as NSString).deletingLastPathComponent + "/store.sqlite"
        let report = try FixtureStore.build(project: project, to: path)
        let products = try #require(report.sources.first { $0.id == "products" })
        #expect(products.invalid == 1)
        #expect(products.inserted["product"] == 1)
        #expect(
            products.setAside.map(\.description) == [
                "datasets/products.csv:2: field 'gtin' value '0040822011149': not a valid barcode: check the code: two neighbouring digits may be swapped or one mistyped; one possibility is that the check digit should be 3, not 9 (0040822011143)"
            ])
        #expect(products.setAside.first?.line == 2)
        #expect(products.setAside.first?.field == "gtin")
        #expect(products.setAside.first?.value == "0040822011149")
    }
}

@Suite("GS1 company prefixes")
struct CompanyPrefixTests {
    @Test("With GS1's length list loaded, a barcode is attributed to its company prefix, and a listing on that prefix reaches it")
    func attribution() throws {
        let project = try FixtureStore.copyProject()
        try """
        <?xml version="1.0" encoding="UTF-8"?>
        <GCPPrefixFormatList date="2020-10-29T09:42:27.684-04:00">
          <entry prefix="72900" gcpLength="10"/>
          <entry prefix="7296" gcpLength="7"/>
          <entry prefix="999" gcpLength="0"/>
        </GCPPrefixFormatList>
        """.write(toFile: project + "/datasets/gcp.xml", atomically: true, encoding: .utf8)
        try """
        [source]
        id = "gcp"
        name = "GCP lengths"
        file = "../datasets/gcp.xml"
        [format]
        type = "xml"
        record = "GCPPrefixFormatList/entry"
        [[emit]]
        into = "gcp-length"
        [emit.fields]
        prefix = "@prefix"
        length = "@gcpLength"
        """.write(toFile: project + "/importers/05-gcp.toml", atomically: true, encoding: .utf8)
        try """
        [source]
        id = "prefix-listings"
        name = "Listings by company prefix"
        url = "https://example.org/fixture/gcp-list"
        retrieved = "2026-03-01"
        file = "../datasets/gcp-listings.csv"
        [format]
        type = "csv"
        [[emit]]
        into = "listing"
        [emit.fields]
        target_gcp = "gcp"
        campaign = { value = "Fixture Campaign" }
        category = { value = "consumer-boycott" }
        reasons = "reason"
        """.write(toFile: project + "/importers/70-gcp-listings.toml", atomically: true, encoding: .utf8)
        try "gcp,reason\n7290011498,Every product of this company prefix is named by the fixture campaign\n"
            .write(toFile: project + "/datasets/gcp-listings.csv", atomically: true, encoding: .utf8)
        let path = (project as NSString).deletingLastPathComponent + "/store.sqlite"
        _ = try FixtureStore.build(project: project, to: path)
        let store = try Store(path: path)

        let listed = try store.verdict(for: "7290011498382")
        #expect(listed.barcode?.companyPrefix == "7290011498")
        #expect(listed.verdict == .listedConsumerBoycott)
        #expect(listed.listings.first?.listing.target == .companyPrefix("7290011498"))

        let other = try store.verdict(for: "7290000000015")
        #expect(other.barcode?.companyPrefix == "7290000000")
        #expect(other.verdict == .hintOnly)
    }
}

@Suite("Open Food Facts shape")
struct OpenFoodFactsShapeTests {
    /// Writes the shipped Open Food Facts definition into `project`, reading `products.tsv` there
    /// instead of fetching, with these rows (columns: code, url, product_name, brands, brands_tags,
    /// brand_owner), and builds the project's store.
    static func buildWithExport(project: String, rows: [[String]]) throws -> (report: BuildReport, store: Store) {
        try FileManager.default.createDirectory(atPath: project + "/importers", withIntermediateDirectories: true)
        let definition = try String(
            contentsOfFile: ShippedStore.repository + "/importers/90-open-food-facts.toml", encoding: .utf8
        )
        .replacingOccurrences(
            of: #"fetch = "https://static.openfoodfacts.org/data/en.openfoodfacts.org.products.csv.gz""#,
            with: #"file = "../products.tsv""#)
        try definition.write(toFile: project + "/importers/90-open-food-facts.toml", atomically: true, encoding: .utf8)
        let header = ["code", "url", "product_name", "brands", "brands_tags", "brand_owner"]
        try ([header] + rows).map { $0.joined(separator: "\t") }.joined(separator: "\n").appending("\n").write(
            toFile: project + "/products.tsv", atomically: true, encoding: .utf8)
        return try FixtureStore.build(files: [:], project: project)
    }

    @Test("brand_owner links only the product's main brand; co-listed brands get no owner from it")
    func mainBrandOnly() throws {
        let (report, store) = try Self.buildWithExport(
            project: try FixtureStore.temporaryDirectory() + "/off",
            rows: [
                ["5449000000996", "u", "Coke \"Classic\" 33 cl", "Coca-Cola", "coca-cola", "The Coca-Cola Company"],
                ["5449000014535", "u", "Sprite 33 cl", "Sprite, Fanta", "sprite,fanta", "The Coca-Cola Company"],
                ["40111490", "u", "Fanta Orange", "Fanta", "fanta", ""],
                ["12345", "u", "broken code", "X", "x", ""],
            ])
        #expect(report.sources[0].invalid == 1)
        let coke = try store.verdict(for: "5449000000996")
        #expect(coke.product?.name == "Coke \"Classic\" 33 cl")
        #expect(coke.product?.brand?.name == "Coca-Cola")
        #expect(coke.owners.isEmpty, "brand and owner normalise to one entity: nothing to link")
        let sprite = try store.verdict(for: "5449000014535")
        #expect(sprite.product?.brand?.name == "Sprite")
        #expect(sprite.owners.map(\.owner.name) == ["Coca-Cola"])
        let fanta = try store.verdict(for: "Fanta")
        #expect(fanta.owners.isEmpty)
    }

    @Test("A product export's brand that shares a listed brand's name but names another owner gives no listing")
    func namesakeWithAnotherOwner() throws {
        let project = try FixtureStore.temporaryDirectory() + "/namesake"
        try FileManager.default.createDirectory(atPath: project + "/importers", withIntermediateDirectories: true)
        // A curated source in the community dataset's shape: the Coca-Cola juice brand "Simply", and Lindt.
        try FixtureStore.curatedDefinition.write(
            toFile: project + "/importers/10-curated.toml", atomically: true, encoding: .utf8)
        try """
        name,kind,owner,listed,qid
        The Coca-Cola Company,company,,The Coca-Cola Company,
        Simply,brand,The Coca-Cola Company,,
        Chocoladefabriken Lindt & Sprüngli AG,company,,,
        Lindt,brand,Chocoladefabriken Lindt & Sprüngli AG,,

        """.write(toFile: project + "/curated.csv", atomically: true, encoding: .utf8)
        // Rows in the export's shape; the first is the real "Simply Fine" row the identity issue quotes.
        let (report, store) = try Self.buildWithExport(
            project: project,
            rows: [
                ["0850015337017", "u", "Simply Fine Chocolate Candy Bar", "Simply", "simply", "Healthy Food Brands LLC"],
                ["0025000056017", "u", "Simply Orange Pulp Free", "Simply", "simply", "The Coca-Cola Company"],
                ["0037466017358", "u", "Lindt Excellence 70%", "Lindt", "lindt", "Polo Leathergoods"],
                ["0037466085227", "u", "Lindor Milk", "Lindt", "lindt", ""],
            ])
        #expect(report.namesakes == 2)
        #expect(report.ownershipConflicts == 0, "the namesake takes the export's owner, not the curated brand")

        let chocolate = try store.verdict(for: "0850015337017")
        #expect(chocolate.verdict == .noListingFound)
        #expect(chocolate.listings.isEmpty)
        #expect(chocolate.product?.brand?.name == "Simply")
        #expect(chocolate.owners.map(\.owner.name) == ["Healthy Food Brands LLC"])
        #expect(chocolate.product?.brand?.note?.contains("Not the same as “Simply”, owned by The Coca-Cola Company") == true)

        let juice = try store.verdict(for: "0025000056017")
        #expect(juice.verdict == .listedConsumerBoycott)
        #expect(juice.listings.first?.path.text == "Simply → owned by The Coca-Cola Company")

        let lindt = try store.verdict(for: "0037466017358")
        #expect(lindt.owners.map(\.owner.name) == ["Polo Leathergoods"], "the export's owner stays on its namesake")
        #expect(try store.verdict(for: "Lindt").owners.map(\.owner.name) == ["Chocoladefabriken Lindt & Sprüngli AG"])
        // A row without an owner has nothing to contradict: it joins the brand on record.
        #expect(try store.verdict(for: "0037466085227").owners.map(\.owner.name) == ["Chocoladefabriken Lindt & Sprüngli AG"])
        // A typed name never finds a namesake.
        #expect(try store.verdict(for: "Simply").matched.count == 1)
    }
}
