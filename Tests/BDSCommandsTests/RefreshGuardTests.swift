import BDSTestSupport
import Foundation
import Testing

/// The drop guard over every record kind, and the dry run, on local sources (no server needed).
@Suite("Refresh: nothing dropped silently, and a dry run that swaps nothing", .serialized, .tags(.endToEnd))
struct RefreshGuardTests {
    let project: String
    let store: String

    init() throws {
        project = try FixtureStore.copyProject()
        store = (project as NSString).deletingLastPathComponent + "/store.sqlite"
        try FixtureStore.writeProductDefinition(
            project: project, file: "65-extra-products.toml", id: "extra-products", name: "More fixture products",
            location: #"file = "../datasets/extra-products.csv""#)
        try writeProducts(["4000000001058", "4000000001065", "4000000001072", "4000000001089"])
    }

    func writeProducts(_ codes: [String]) throws {
        let rows = codes.map { "\($0),Fixture product \($0),Plain Brand,https://example.org/fixture/extra,2026-01-01\n" }
        try ("gtin,name,brand,source_url,retrieved\n" + rows.joined())
            .write(toFile: project + "/datasets/extra-products.csv", atomically: true, encoding: .utf8)
    }

    func cli(_ args: [String]) throws -> CLI.Result {
        try CLI.run(args + ["--data", project, "--store", store])
    }

    func storeBytes() throws -> Data { try Data(contentsOf: URL(fileURLWithPath: store)) }

    @Test("A source that loses most of its products is refused, naming the source, the kind and the counts")
    func productDropGuard() throws {
        #expect(try cli(["refresh"]).status == 0)
        #expect(try cli(["--json", "4000000001089"]).stdout.contains("Fixture product 4000000001089"))
        let before = try storeBytes()

        try writeProducts(["4000000001058"])
        let refused = try cli(["refresh"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("extra-products: products 4 → 1"), "\(refused.stderr)")
        #expect(try storeBytes() == before, "the live store is byte for byte the old one")
        #expect(try cli(["--json", "4000000001089"]).stdout.contains("Fixture product 4000000001089"))

        let forced = try cli(["refresh", "--force"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(forced.stdout.contains("extra-products: products 4 → 1"))
        #expect(try !cli(["--json", "4000000001089"]).stdout.contains("Fixture product 4000000001089"))
    }

    @Test("A kept local copy replaced by one with half its products is refused; the live store and the kept copy stay")
    func keptCopyDropGuard() throws {
        try FixtureStore.writeProductDefinition(
            project: project, file: "66-export.toml", id: "export", name: "A product export",
            location: #"fetch = "http://127.0.0.1:9/never-fetched.csv""#, byDefault: false)
        let export = (project as NSString).deletingLastPathComponent + "/export.csv"
        func writeExport(_ codes: [String]) throws {
            let rows = codes.map { "\($0),Fixture product \($0),Plain Brand,https://example.org/fixture/export,2026-01-01\n" }
            try ("gtin,name,brand,source_url,retrieved\n" + rows.joined()).write(
                toFile: export, atomically: true, encoding: .utf8)
        }
        try writeExport(["4000000002055", "4000000002062", "4000000002079", "4000000002086"])
        #expect(try cli(["refresh", "--file", "export=\(export)"]).status == 0)
        let before = try storeBytes()
        let kept = (store as NSString).deletingLastPathComponent + "/sources/export.data"
        let keptBefore = try Data(contentsOf: URL(fileURLWithPath: kept))

        try writeExport(["4000000002055", "4000000002062"])
        let refused = try cli(["refresh", "--file", "export=\(export)"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("export: products 4 → 2"), "\(refused.stderr)")
        #expect(!refused.stderr.contains("extra-products:"), "only the source that shrinks is named")
        #expect(try storeBytes() == before, "the live store is byte for byte the old one")
        #expect(try Data(contentsOf: URL(fileURLWithPath: kept)) == keptBefore, "the kept copy is the old one")
        #expect(!FileManager.default.fileExists(atPath: kept.replacingOccurrences(of: ".data", with: ".download")))
        #expect(try cli(["--json", "4000000002086"]).stdout.contains("Fixture product 4000000002086"))
    }

    @Test("--dry-run builds, checks and reports the diff, and leaves the live store and its folder as they were")
    func dryRun() throws {
        #expect(try cli(["refresh"]).status == 0)
        let before = try storeBytes()
        let folder = (store as NSString).deletingLastPathComponent
        let filesBefore = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()

        try writeProducts(["4000000001058", "4000000001065", "4000000001072", "4000000001089", "4000000001096"])
        let dry = try cli(["refresh", "--dry-run"])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("Dry run"))
        #expect(dry.stdout.contains("extra-products: products 4 → 5"))
        #expect(try storeBytes() == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == filesBefore, "no scratch file is left")

        // A dry run the drop guard would refuse fails the same way, and still changes nothing.
        try writeProducts([])
        let refused = try cli(["refresh", "--dry-run"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("extra-products: products 4 → 0"))
        #expect(try storeBytes() == before)
    }

    @Test("In-store and other non-product codes in a product source are counted in the report, not stored")
    func nonProductCodes() throws {
        try writeProducts(["4000000001058", "2000000000107"])
        let r = try cli(["refresh"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("extra-products: 2 records"))
        #expect(r.stdout.contains("1 in-store, book or coupon codes not stored"))
        #expect(try cli(["--json", "2000000000107"]).stdout.contains("\"identifiesProduct\":false"))
    }
}
