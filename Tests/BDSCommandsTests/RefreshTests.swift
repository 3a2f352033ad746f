import BDSTestSupport
import Foundation
import Testing

/// Seconds ahead of now for each new version of a served file.
final class VersionClock: @unchecked Sendable {
    private var seconds = 0.0
    func next() -> Double {
        seconds += 10
        return seconds
    }
}

@Suite("Refresh from a URL, the diff, the drop guard and rollback", .serialized, .tags(.endToEnd))
struct RefreshTests {
    let project: String
    let store: String
    let served: String
    let versions = VersionClock()

    init() throws {
        project = try FixtureStore.copyProject()
        let root = (project as NSString).deletingLastPathComponent
        store = root + "/store.sqlite"
        served = root + "/served"
        try FileManager.default.createDirectory(atPath: served, withIntermediateDirectories: true)
    }

    func serve(listings rows: [String]) throws {
        let header = "target,campaign,category,reason,source_url,retrieved\n"
        let path = served + "/remote.csv"
        try (header + rows.map { $0 + "\n" }.joined()).write(toFile: path, atomically: true, encoding: .utf8)
        // HTTP dates have one-second resolution: move each version's time forward so the server
        // sees it as newer than the copy fetched a moment ago.
        try FileManager.default.setAttributes(
            [.modificationDate: Date(timeIntervalSinceNow: versions.next())], ofItemAtPath: path)
    }

    func addRemoteDefinition(url: String) throws {
        try FixtureStore.writeRemoteListingDefinition(project: project, url: url)
    }

    func cli(_ args: [String]) throws -> CLI.Result {
        try CLI.run(args + ["--data", project, "--store", store])
    }

    let plainRow =
        "Plain Brand,Remote Campaign,consumer-boycott,Named by the remote fixture list,https://example.org/remote,2026-02-01"
    let quietRow = "Quiet Foods,Remote Campaign,pressure,Named by the remote fixture list,https://example.org/remote,2026-02-01"

    @Test("A source fetched from 127.0.0.1 is imported, diffed, and not downloaded again when unchanged")
    func refreshFromURL() throws {
        let server = try LoopbackHTTPServer.files(in: served)
        try serve(listings: [])
        try addRemoteDefinition(url: server.url("remote.csv"))
        #expect(try cli(["refresh"]).status == 0)
        #expect(try cli(["Plain Brand"]).status == 0, "before: known, no listing")

        try serve(listings: [plainRow, quietRow])
        let second = try cli(["refresh", "remote"])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("remote: 2 records"))
        #expect(second.stdout.contains("Listings added: 2"))
        #expect(second.stdout.contains("Plain Brand — Remote Campaign, consumer-boycott"))
        #expect(try cli(["Plain Brand"]).status == 10)

        let third = try cli(["refresh", "remote", "--json"])
        #expect(third.status == 0)
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(third.stdout.utf8)) as? [String: Any])
        #expect((summary["fetched"] as? [String: String])?["remote"] == "not-modified")
        #expect(server.requests == ["/remote.csv", "/remote.csv conditional", "/remote.csv conditional"])
    }

    @Test("A failing refresh names the problem and leaves the live store serving the old data")
    func failingRefreshKeepsStore() throws {
        let server = try LoopbackHTTPServer.files(in: served)
        try serve(listings: [plainRow])
        try addRemoteDefinition(url: server.url("remote.csv"))
        #expect(try cli(["refresh", "remote"]).status == 0)

        try serve(listings: [plainRow, "Quiet Foods,Remote Campaign,boycottish,x,https://example.org/remote,2026-02-01"])
        let bad = try cli(["refresh", "remote"])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("the live store is unchanged"))
        #expect(bad.stderr.contains(":3: field 'category' value 'boycottish'"))
        #expect(try cli(["Plain Brand"]).status == 10)

        try addRemoteDefinition(url: server.url("missing.csv"))
        let missing = try cli(["refresh", "remote"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("HTTP 404"))
        #expect(try cli(["Plain Brand"]).status == 10)
    }

    @Test("A refresh that drops too many of a source's listings stops unless forced; rollback undoes it")
    func dropGuardAndRollback() throws {
        let server = try LoopbackHTTPServer.files(in: served)
        try serve(listings: [plainRow, quietRow])
        try addRemoteDefinition(url: server.url("remote.csv"))
        #expect(try cli(["refresh", "remote"]).status == 0)

        try serve(listings: [])
        let guarded = try cli(["refresh", "remote"])
        #expect(guarded.status == 1)
        #expect(guarded.stderr.contains("drops more than 20 %"))
        #expect(try cli(["Plain Brand"]).status == 10)

        let forced = try cli(["refresh", "remote", "--force"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(forced.stdout.contains("Listings removed: 2"))
        #expect(try cli(["Plain Brand"]).status == 0)

        #expect(try cli(["rollback"]).status == 0)
        #expect(try cli(["Plain Brand"]).status == 10)
        #expect(try cli(["rollback"]).status == 0)
        #expect(try cli(["Plain Brand"]).status == 0)
    }

    @Test("sources shows a fetched source's URL, ETag and Last-Modified, dated by its download; --drop fetches it afresh")
    func fetchedSourceInSources() throws {
        let server = try LoopbackHTTPServer.files(in: served)
        try serve(listings: [plainRow])
        let url = server.url("remote.csv")
        try addRemoteDefinition(url: url)
        #expect(try cli(["refresh"]).status == 0)

        let meta = try #require(
            try JSONSerialization.jsonObject(
                with: Data(
                    contentsOf: URL(fileURLWithPath: (store as NSString).deletingLastPathComponent + "/sources/remote.json")))
                as? [String: Any])
        let etag = try #require(meta["etag"] as? String)
        #expect(etag.hasPrefix("\""), "the server's ETag, as sent")
        let summary = try #require(
            try JSONSerialization.jsonObject(with: Data(try cli(["sources", "--json"]).stdout.utf8)) as? [String: Any])
        let remote = try #require((summary["sources"] as? [[String: Any]])?.first { $0["id"] as? String == "remote" })
        let origin = try #require(remote["origin"] as? [String: Any])
        #expect(origin["kind"] as? String == "fetched")
        #expect(origin["location"] as? String == url)
        #expect(origin["etag"] as? String == etag)
        #expect(origin["lastModified"] as? String == meta["lastModified"] as? String)
        let downloaded = try #require(origin["obtainedAt"] as? String)
        #expect(
            remote["retrieved"] as? String == String(downloaded.prefix(10)), "no `retrieved` in the definition: the download day")
        #expect((remote["inserted"] as? [String: Int])?["listing"] == 1)

        let text = try cli(["sources"]).stdout
        #expect(text.contains("from      \(url) (downloaded \(downloaded); ETag \(etag); Last-Modified "), "\(text)")

        let dropped = try cli(["refresh", "--drop", "remote"])
        #expect(dropped.status == 0, "\(dropped.stderr)")
        #expect(server.requests == ["/remote.csv", "/remote.csv"], "after --drop the kept copy is not asked about")
        #expect(try cli(["Plain Brand"]).status == 10, "a default source dropped is built again from its definition")
    }

    @Test("--file imports a local copy in place of a fetch")
    func localOverride() throws {
        try serve(listings: [plainRow])
        try addRemoteDefinition(url: "http://127.0.0.1:9/never-fetched.csv")
        let r = try cli(["refresh", "--file", "remote=\(served)/remote.csv"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try cli(["Plain Brand"]).status == 10)
    }
}
