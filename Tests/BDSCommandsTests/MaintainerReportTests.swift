import BDSTestSupport
import Foundation
import Testing

/// What a maintainer reads: the refresh report grouped by source, and `definitions check`, on the
/// shipped upstream definitions and fixtures cut from the real files.
@Suite("Maintainers: the refresh report by source, and definitions check", .serialized, .tags(.endToEnd))
struct MaintainerReportTests {
    let project: String
    let store: String
    static let upstream = ShippedStore.repository + "/Tests/BDSImportTests/Fixtures/upstream"

    init() throws {
        project = try FixtureStore.copyProject()
        store = (project as NSString).deletingLastPathComponent + "/store.sqlite"
        for name in [
            "90-open-food-facts.toml", "93-community-companies.toml", "94-community-brands.toml", "95-community-owners.toml",
        ] {
            try FileManager.default.copyItem(
                atPath: ShippedStore.repository + "/importers/" + name, toPath: project + "/importers/" + name)
        }
        // A local product list with a dozen mistyped codes, set aside rather than failing.
        try """
        [source]
        id = "shop-list"
        name = "A shop's product list"
        url = "https://example.org/shop"
        retrieved = "2026-11-01"
        file = "../datasets/shop-list.csv"

        [format]
        type = "csv"

        [[emit]]
        into = "product"
        on-invalid = "report"
        [emit.fields]
        gtin = "gtin"
        name = "name"
        """.write(toFile: project + "/importers/70-shop-list.toml", atomically: true, encoding: .utf8)
        // Each has its check digit one more than it should be.
        let bad = [
            "4000000000014", "4000000000021", "4000000000038", "4000000000045", "4000000000052", "4000000000069",
            "4000000000076", "4000000000083", "4000000000090", "4000000000106", "4000000000113", "4000000000120",
        ]
        try ("gtin,name\n4000000001058,Good one\n" + bad.map { "\($0),Mistyped \($0)\n" }.joined())
            .write(toFile: project + "/datasets/shop-list.csv", atomically: true, encoding: .utf8)
    }

    func cli(_ args: [String]) throws -> CLI.Result {
        try CLI.run(args + ["--data", project, "--store", store])
    }

    var upstreamFiles: [String] {
        [
            "--file", "open-food-facts=\(Self.upstream)/off-products.tsv",
            "--file", "community-companies=\(Self.upstream)/community-data.json",
            "--file", "community-brands=\(Self.upstream)/community-data.json",
            "--file", "community-owners=\(Self.upstream)/community-data.json",
        ]
    }

    /// The community definitions need a retrieved date; the fixture project's copies get one.
    func dateCommunityDefinitions() throws {
        for name in ["93-community-companies.toml", "94-community-brands.toml", "95-community-owners.toml"] {
            let path = project + "/importers/" + name
            let text = try String(contentsOfFile: path, encoding: .utf8)
                .replacingOccurrences(of: "default = false", with: "default = false\nretrieved = \"2026-11-30\"")
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
    }

    @Test("The text report lists set-aside records per source (the first ten) and counts notes per source and kind")
    func textReportBySource() throws {
        try dateCommunityDefinitions()
        let r = try cli(["refresh", "--dry-run"] + upstreamFiles)
        #expect(r.status == 0, "\(r.stderr)")
        let out = r.stdout
        // Each source's set-aside records under its own name, never mixed.
        let off = try #require(out.range(of: "open-food-facts: set aside:\n"))
        let links = try #require(out.range(of: "community-owners: set aside:\n"))
        let shop = try #require(out.range(of: "shop-list: set aside:\n"))
        #expect(out[off.upperBound...].prefix(while: { $0 != "\n" }).contains("off-products.tsv:"))
        #expect(out[links.upperBound...].contains("field 'owner' value 'mars-inc'"))
        let shopBlock = out[shop.upperBound...].split(separator: "\n").prefix { $0.hasPrefix("  ") }
        #expect(shopBlock.count == 11, "ten records and the line saying how many more: \(shopBlock)")
        #expect(shopBlock.last?.contains("… and 2 more") == true)
        #expect(shopBlock.first?.contains("datasets/shop-list.csv:3: field 'gtin' value '4000000000014'") == true)
        // Notes are counted, not repeated.
        #expect(out.contains("Notes (--verbose lists each one):"))
        #expect(!out.contains("is taken as the same entity as"))

        let verbose = try cli(["refresh", "--dry-run", "--verbose"] + upstreamFiles)
        #expect(verbose.stdout.contains("datasets/shop-list.csv:14: field 'gtin'"), "--verbose lists all twelve")
        #expect(!verbose.stdout.contains("… and 2 more"))
    }

    @Test("The JSON report has every set-aside record by source, with file, line, field, value and reason")
    func jsonReportBySource() throws {
        try dateCommunityDefinitions()
        let r = try cli(["refresh", "--json"] + upstreamFiles)
        #expect(r.status == 0, "\(r.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let report = try #require(summary["report"] as? [String: Any])
        let sources = try #require(report["sources"] as? [[String: Any]])
        func source(_ id: String) -> [String: Any]? { sources.first { $0["id"] as? String == id } }
        let shop = try #require(source("shop-list")?["setAside"] as? [[String: Any]])
        #expect(shop.count == 12)
        #expect(shop.allSatisfy { $0["file"] as? String == "datasets/shop-list.csv" && $0["field"] as? String == "gtin" })
        #expect(shop.map { $0["line"] as? Int } == (3...14).map { $0 })
        #expect(shop.allSatisfy { ($0["reason"] as? String)?.contains("check digit") == true && $0["value"] is String })
        let links = try #require(source("community-owners")?["setAside"] as? [[String: Any]])
        // The dataset names Mars only by an id it does not hold ("pepsi" finds the fixture project's Pepsi).
        #expect(links.compactMap { $0["value"] as? String }.contains("mars-inc"))
        let off = try #require(source("open-food-facts"))
        #expect(off["invalid"] as? Int == 3)
        #expect(off["nonProductCodes"] as? Int == 2, "in-store codes in the real sample are counted")
        let notes = try #require(report["notes"] as? [[String: Any]])
        #expect(notes.allSatisfy { $0["kind"] is String && $0["message"] is String })

        // Problem 1 on the real shapes: a later plain refresh keeps every source loaded by --file.
        let chamomile = try cli(["--json", "0000105000011"])
        #expect(chamomile.stdout.contains("Chamomile Herbal Tea"))
        let plain = try cli(["refresh"])
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(plain.stdout.contains("No changes"), "\(plain.stdout)")
        #expect(try cli(["--json", "0000105000011"]).stdout.contains("Chamomile Herbal Tea"))
        #expect(try cli(["--json", "3Musketeers"]).stdout.contains("\"listed-consumer-boycott\""))
    }

    @Test(
        "definitions check: every definition fits its data; a JSON key that matches nothing fails with the line and the keys found"
    )
    func definitionsCheck() throws {
        let ok = try cli(["definitions", "check"] + upstreamFiles)
        #expect(ok.status == 0, "\(ok.stdout)\(ok.stderr)")
        #expect(ok.stdout.contains("importers/95-community-owners.toml (community-owners, json): fits all 8 records"))
        #expect(ok.stdout.contains("importers/60-products.toml (products, csv): fits all"))

        let path = project + "/importers/95-community-owners.toml"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try text.replacingOccurrences(of: "percent = \"percent\"", with: "percent = \"ownership_percent\"")
            .write(toFile: path, atomically: true, encoding: .utf8)
        let line =
            try #require(
                text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("percent = ") }) + 1
        let bad = try cli(["definitions", "check", path, "--file", "community-owners=\(Self.upstream)/community-data.json"])
        #expect(bad.status == 1)
        #expect(
            bad.stdout.contains(
                "importers/95-community-owners.toml:\(line): field 'emit[1].fields.percent' value 'ownership_percent': "
                    + "the path matches nothing in any of the 8 records"), "\(bad.stdout)")
        #expect(bad.stdout.contains("the first record has the keys id, type"))

        // The same typo stops a refresh, naming the same line, and the live store stays as it was.
        try dateCommunityDefinitions()
        let refresh = try cli(["refresh"] + upstreamFiles)
        #expect(refresh.status == 1)
        #expect(refresh.stderr.contains("importers/95-community-owners.toml:\(line + 1): field 'emit[1].fields.percent'"))
    }

    @Test("definitions check: a fetched source never fetched is parsed only, and says how to read it")
    func definitionsCheckNotFetched() throws {
        let r = try cli(["definitions", "check", project + "/importers/90-open-food-facts.toml"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("not fetched yet, so no records read"))
        #expect(r.stdout.contains("--file open-food-facts=PATH"))
    }

    @Test("definitions check reads what a refresh would: a kept --file copy stands in for the definition's own file")
    func definitionsCheckReadsKeptCopy() throws {
        let local = (project as NSString).deletingLastPathComponent + "/more-products.csv"
        try "gtin,name,brand,source_url,retrieved\n4000000001058,A,Plain Brand,https://example.org/p,2026-01-01\n"
            .write(toFile: local, atomically: true, encoding: .utf8)
        #expect(try cli(["refresh", "--file", "products=\(local)"]).status == 0)
        let r = try cli(["definitions", "check", project + "/importers/60-products.toml"])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("fits its 1 record of "), "\(r.stdout)")
        #expect(r.stdout.contains("sources/products.data"), "\(r.stdout)")
    }
}
