import BDSTestSupport
import Foundation
import Testing

/// `bdscheck nescafe` with the community dataset enabled, as a maintainer enables it: the shipped
/// definitions and data, and `refresh` of the three community sources from a local copy (the
/// dataset carries no licence, so its file is never shipped; the copy is the fixture cut from its
/// shape, Tests/BDSImportTests/Fixtures/upstream/README.md).
@Suite("The community dataset enabled, end to end", .serialized, .tags(.endToEnd))
struct CommunitySourceTests {
    @Test("Unknown before; after refreshing the community sources, a consumer boycott with its source and owner")
    func nescafe() throws {
        let data = try FixtureStore.temporaryDirectory() + "/data"
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        for folder in ["importers", "datasets"] {
            try FileManager.default.copyItem(atPath: ShippedStore.repository + "/" + folder, toPath: data + "/" + folder)
        }
        let store = data + "/store.sqlite"
        func cli(_ args: [String]) throws -> CLI.Result { try CLI.run(args + ["--data", data, "--store", store]) }

        #expect(try cli(["refresh"]).status == 0)
        let before = try cli(["nescafe"])
        #expect(before.status == 13, "\(before.stdout)")

        let copy = ShippedStore.repository + "/Tests/BDSImportTests/Fixtures/upstream/community-data.json"
        let ids = ["community-companies", "community-brands", "community-owners"]
        let refresh = try cli(
            ["refresh"] + ids + ids.flatMap { ["--file", "\($0)=\(copy)", "--retrieved", "\($0)=2026-11-30"] })
        #expect(refresh.status == 0, "\(refresh.stderr)")

        let text = try cli(["nescafe"])
        #expect(text.status == 10, "\(text.stdout)\(text.stderr)")
        #expect(text.stdout.contains("Boycott Israeli consumer goods dataset (Tech for Palestine)"))
        #expect(text.stdout.contains("https://www.just-food.com/news/israel-nestle-to-up-stake-in-osem/"))
        let json = try cli(["--json", "nescafe"]).stdout
        #expect(json.contains(#""name":"Nestlé""#), "\(json)")
        #expect(json.contains(#""verdict":"listed-consumer-boycott""#))
    }
}
