import BDSTestSupport
import Foundation
import Testing

/// `refresh --file` keeps its copy in the cache for later refreshes, `--retrieved` dates it, and
/// `--drop` stops using it; `sources` shows where each source came from.
@Suite("Refresh: kept local copies, --retrieved and --drop", .serialized, .tags(.endToEnd))
struct KeptCopyTests {
    let project: String
    let store: String
    /// The cache folder beside the store.
    let cache: String
    /// A folder outside the project, where a maintainer keeps a downloaded export.
    let downloads: String

    static let codes = ["4000000001058", "4000000001065", "4000000001072", "4000000001089"]

    init() throws {
        project = try FixtureStore.copyProject()
        let root = (project as NSString).deletingLastPathComponent
        store = root + "/store.sqlite"
        cache = root + "/sources"
        downloads = root + "/downloads"
        try FileManager.default.createDirectory(atPath: downloads, withIntermediateDirectories: true)
    }

    /// A product export built only on request, as Open Food Facts is: its definition says `fetch`
    /// (a URL never reached here) or `file` (a file the project does not ship).
    func writeExportDefinition(_ location: String) throws {
        let source =
            location == "fetch" ? #"fetch = "http://127.0.0.1:9/never-fetched.csv""# : #"file = "../datasets/not-shipped.csv""#
        try FixtureStore.writeProductDefinition(
            project: project, file: "66-export.toml", id: "export", name: "A product export", location: source,
            byDefault: false, dated: false)
    }

    /// Writes a local export of products (rows carry no date of their own) and returns its path.
    @discardableResult
    func writeExport(_ codes: [String], name: String = "export.csv") throws -> String {
        let path = downloads + "/" + name
        let rows = codes.map { "\($0),Fixture product \($0),Plain Brand,https://example.org/fixture/export\n" }
        try ("gtin,name,brand,source_url\n" + rows.joined()).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func cli(_ args: [String]) throws -> CLI.Result {
        try CLI.run(args + ["--data", project, "--store", store])
    }

    func knows(_ code: String) throws -> Bool {
        try cli(["--json", code]).stdout.contains("Fixture product \(code)")
    }

    func json(_ result: CLI.Result) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stderr)")
    }

    func sources() throws -> [String: Any] { try json(try cli(["sources", "--json"])) }

    func source(_ id: String, in summary: [String: Any]) -> [String: Any]? {
        (summary["sources"] as? [[String: Any]])?.first { $0["id"] as? String == id }
    }

    func cacheFiles() throws -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: cache)) ?? []).sorted()
    }

    func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    @Test(
        "A non-default source loaded with --file stays through a plain refresh and one naming another source",
        arguments: ["fetch", "file"])
    func keptThroughLaterRefreshes(definitionSays location: String) throws {
        try writeExportDefinition(location)
        let export = try writeExport(Self.codes)
        let original = try bytes(export)
        let first = try cli(["refresh", "--file", "export=\(export)", "--retrieved", "2026-07"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(try knows("4000000001089"))
        #expect(try cacheFiles() == ["export.data", "export.json"])
        #expect(try bytes(cache + "/export.data") == original, "a copy of the file, byte for byte")

        // The original may go away: later refreshes read the kept copy.
        try FileManager.default.removeItem(atPath: export)
        for args in [["refresh"], ["refresh", "listings"]] {
            let r = try cli(args)
            #expect(r.status == 0, "\(args): \(r.stderr)")
            #expect(r.stdout.contains("export: 4 records"), "\(args): \(r.stdout)")
            #expect(try knows("4000000001089"), "\(args)")
        }

        let text = try cli(["sources"])
        #expect(text.status == 0)
        #expect(text.stdout.contains("local file \(export) (copied "), "\(text.stdout)")
        #expect(text.stdout.contains("read      2026-07\n"), "\(text.stdout)")
        #expect(text.stdout.contains("made      4 product"), "\(text.stdout)")

        let summary = try sources()
        let kept = try #require(source("export", in: summary))
        let origin = try #require(kept["origin"] as? [String: Any])
        #expect(origin["kind"] as? String == "local-file")
        #expect(origin["location"] as? String == export)
        #expect(origin["obtainedAt"] as? String != nil)
        #expect(kept["retrieved"] as? String == "2026-07")
        #expect((kept["inserted"] as? [String: Int])?["product"] == 4)
        #expect(kept["invalid"] as? Int == 0)
        #expect((kept["sha256"] as? String)?.count == 64)
        let shipped = try #require(source("companies", in: summary)?["origin"] as? [String: Any])
        #expect(shipped["kind"] as? String == "definition")
        #expect(shipped["location"] as? String == "datasets/companies.csv")
        let last = try #require(summary["lastRefresh"] as? [String: Any])
        #expect(last["describesThisStore"] as? Bool == true)
        #expect((last["sources"] as? [[String: Any]])?.contains { $0["id"] as? String == "export" } == true)
    }

    @Test("--drop ID deletes the kept copy once the new store is in, and its rows go without --force")
    func dropOnPurpose() throws {
        try writeExportDefinition("fetch")
        let export = try writeExport(Self.codes)
        #expect(try cli(["refresh", "--file", "export=\(export)"]).status == 0)

        let dry = try cli(["refresh", "--drop", "export", "--dry-run"])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(try cacheFiles() == ["export.data", "export.json"], "a dry run deletes nothing")
        #expect(
            dry.stdout.contains("export: dropped on purpose (kept copy of \(export) would be deleted; would be left out)"),
            "\(dry.stdout)")
        #expect(try knows("4000000001089"))

        let dropped = try cli(["refresh", "--drop", "export", "--json"])
        #expect(dropped.status == 0, "\(dropped.stderr)")
        let summary = try json(dropped)
        let entries = try #require(summary["dropped"] as? [[String: Any]])
        #expect(entries.count == 1)
        #expect(entries.first?["id"] as? String == "export")
        #expect(entries.first?["keptCopyOf"] as? String == export)
        #expect(entries.first?["rebuilt"] as? Bool == false)
        let rows = (summary["diff"] as? [String: Any])?["rowsPerSource"] as? [String: [String: [Int]]]
        #expect(rows?["export"]?["products"] == [4, 0])
        #expect(try !knows("4000000001089"))
        #expect(try cacheFiles().isEmpty)

        let after = try sources()
        #expect(source("export", in: after) == nil)
        #expect((after["lastRefresh"] as? [String: Any])?["dropped"] as? [String] == ["export"])
        #expect(try cli(["sources"]).stdout.contains("dropped on purpose: export"))
        #expect(try cli(["refresh"]).status == 0, "nothing brings the dropped source back")
        #expect(try !knows("4000000001089"))

        // The report beside the store describes the last refresh's store; after a rollback, not the one in place.
        #expect(try cli(["rollback"]).status == 0)
        #expect((try sources()["lastRefresh"] as? [String: Any])?["describesThisStore"] as? Bool == false)
        #expect(try cli(["sources"]).stdout.contains("that refresh built another store than the one in place"))
    }

    @Test("--drop of a default source's kept copy builds it from its definition again; a second --drop has nothing to drop")
    func dropBackToDefinition() throws {
        let shipped = try String(contentsOfFile: project + "/datasets/products.csv", encoding: .utf8)
        let local = downloads + "/products.csv"
        try (shipped + "4000000001058,Fixture product 4000000001058,Plain Brand,https://example.org/p,2026-01-01\n")
            .write(toFile: local, atomically: true, encoding: .utf8)
        #expect(try cli(["refresh", "--file", "products=\(local)", "--retrieved", "2026"]).status == 0)
        #expect(try knows("4000000001058"))
        #expect(try cli(["refresh"]).status == 0)
        #expect(try knows("4000000001058"), "the kept copy replaces the definition's file")

        let back = try cli(["refresh", "--drop", "products", "--json"])
        #expect(back.status == 0, "\(back.stderr)")
        let entry = try #require((try json(back)["dropped"] as? [[String: Any]])?.first)
        #expect(entry["rebuilt"] as? Bool == true)
        #expect(try !knows("4000000001058"))
        #expect(try cli(["--json", "0040822011143"]).stdout.contains("Fixture Hummus"))
        let origin = source("products", in: try sources())?["origin"] as? [String: Any]
        #expect(origin?["location"] as? String == "datasets/products.csv")

        let again = try cli(["refresh", "--drop", "products"])
        #expect(again.status == 64)
        #expect(again.stderr.contains("nothing to drop"), "\(again.stderr)")
    }

    @Test(
        "Options that contradict each other or cannot be read are refused before anything is copied",
        arguments: [
            (["--drop", "export", "--file", "export=/x.csv"], "contradict each other"),
            (["--file", "export=/x.csv", "--file", "products=/y.csv", "--retrieved", "2026-07"], "with several --file"),
            (["--file", "export=/x.csv", "--retrieved", "2026-13"], "'2026-13' is not an ISO date"),
            (["--file", "export=/x.csv", "--retrieved", "17 July 2026"], "is not an ISO date"),
            (["--retrieved", "2026-07"], "give the copy with --file"),
            (["--file", "export=/x.csv", "--retrieved", "products=2026"], "there is no --file products=PATH"),
            (["--file", "export=/x.csv", "--file", "export=/y.csv"], "given twice"),
            (["--file", "export"], "--file takes id=path"),
            (["--drop", "nope"], "no source 'nope' for --drop"),
            (["--drop", "companies"], "nothing to drop"),
        ])
    func refusedOptions(arguments: [String], message: String) throws {
        try writeExportDefinition("fetch")
        let r = try cli(["refresh"] + arguments)
        #expect(r.status == 64, "\(r.stderr)")
        #expect(r.stderr.contains(message), "\(r.stderr)")
        #expect(try cacheFiles().isEmpty)
        #expect(!FileManager.default.fileExists(atPath: store))
    }

    @Test("With several --file, --retrieved ID=DATE dates each copy")
    func retrievedPerSource() throws {
        try writeExportDefinition("file")
        let export = try writeExport(Self.codes)
        let shipped = try String(contentsOfFile: project + "/datasets/products.csv", encoding: .utf8)
        let products = downloads + "/products.csv"
        try shipped.write(toFile: products, atomically: true, encoding: .utf8)
        let r = try cli([
            "refresh", "--file", "export=\(export)", "--file", "products=\(products)", "--retrieved", "export=2026-07-17",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let summary = try sources()
        #expect(source("export", in: summary)?["retrieved"] as? String == "2026-07-17")
        #expect(source("products", in: summary)?["retrieved"] == nil, "the definition gives no date, and none was given")
        #expect(try cli(["refresh"]).status == 0)
        #expect(source("export", in: try sources())?["retrieved"] as? String == "2026-07-17", "the date is kept with the copy")
    }

    @Test("A failed refresh after --file keeps the previous kept copy and leaves nothing staged")
    func failedRefreshKeepsCopy() throws {
        try writeExportDefinition("fetch")
        let export = try writeExport(Self.codes)
        #expect(try cli(["refresh", "--file", "export=\(export)", "--retrieved", "2026-07"]).status == 0)
        let keptData = try bytes(cache + "/export.data")
        let keptMeta = try bytes(cache + "/export.json")

        // 4000000001050 has a wrong check digit: the product emit fails the build.
        let broken = try writeExport(Self.codes + ["4000000001050"], name: "broken.csv")
        let failed = try cli(["refresh", "--file", "export=\(broken)", "--retrieved", "2026-08"])
        #expect(failed.status == 1)
        #expect(failed.stderr.contains("the live store is unchanged: \(broken):6: field 'gtin'"), "\(failed.stderr)")
        #expect(try cacheFiles() == ["export.data", "export.json"], "no staged copy or scratch folder is left")
        #expect(try bytes(cache + "/export.data") == keptData)
        #expect(try bytes(cache + "/export.json") == keptMeta)

        let missing = try cli(["refresh", "--file", "export=\(downloads)/no-such.csv"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no-such.csv: no such file"), "\(missing.stderr)")
        #expect(try cacheFiles() == ["export.data", "export.json"])

        let plain = try cli(["refresh"])
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(try knows("4000000001089"))
        #expect(source("export", in: try sources())?["retrieved"] as? String == "2026-07")
    }
}
