import BDSTestSupport
import Foundation
import Hummingbird
import Testing

/// The shipped Wikidata definitions (`importers/45-wikidata-items.toml`, `97-wikidata-names.toml`,
/// `98-wikidata-ownership.toml`) run by `bdscheck refresh` against a stand-in for Wikidata's query
/// service on 127.0.0.1, answering in the SPARQL 1.1 JSON results format the service sends
/// (`head.vars`, `results.bindings[]`, each value `{"type", "value"}` with `xml:lang` on labels).
///
/// The fixture project's entities get items of the test's own (PepsiCo's is its real one, Q334800).
@Suite("Wikidata as a source: names and ownership by item", .serialized, .tags(.endToEnd))
struct WikidataSourceTests {
    let project: String
    let store: String

    static let items: [(entity: String, item: String)] = [
        ("PepsiCo", "Q334800"), ("SodaStream", "Q900000002"), ("HP Inc.", "Q900000003"), ("HyperX", "Q900000004"),
        ("Planet Fitness", "Q900000005"), ("Orion Group", "Q900000006"), ("Quiet Foods", "Q900000007"),
        ("Yellow (fixture stores)", "Q900000008"),
    ]

    init() throws {
        project = try FixtureStore.copyProject()
        store = (project as NSString).deletingLastPathComponent + "/store.sqlite"
        // A brand named with a bracket because its bare name is a common word.
        let companies = project + "/datasets/companies.csv"
        try
            (try String(contentsOfFile: companies, encoding: .utf8)
            + "Yellow (fixture stores),brand,Israel,,,https://example.org/fixture/yellow,2026-01-01\n")
            .write(toFile: companies, atomically: true, encoding: .utf8)
        try
            (["entity,wikidata,source_url,retrieved"]
            + Self.items.map { "\($0.entity),\($0.item),https://example.org/fixture/items,2026-12-01" })
            .joined(separator: "\n").appending("\n")
            .write(toFile: project + "/datasets/wikidata-items.csv", atomically: true, encoding: .utf8)
    }

    func cli(_ args: [String]) throws -> CLI.Result {
        try CLI.run(args + ["--data", project, "--store", store])
    }

    /// Copies the shipped definitions into the fixture project, asking `url` instead of Wikidata.
    func installDefinitions(url: String) throws -> [String: String] {
        var queries: [String: String] = [:]
        for name in ["45-wikidata-items.toml", "97-wikidata-names.toml", "98-wikidata-ownership.toml"] {
            let shipped = try String(contentsOfFile: ShippedStore.repository + "/importers/" + name, encoding: .utf8)
            if name != "45-wikidata-items.toml" {
                #expect(shipped.contains(#"fetch = "https://query.wikidata.org/sparql""#))
                #expect(shipped.contains("default = false"))
                let start = try #require(shipped.range(of: "query = '''\n"))
                let end = try #require(shipped.range(of: "'''", range: start.upperBound..<shipped.endIndex))
                queries[name] = String(shipped[start.upperBound..<end.lowerBound])
            }
            try shipped.replacingOccurrences(of: "https://query.wikidata.org/sparql", with: url)
                .write(toFile: project + "/importers/" + name, atomically: true, encoding: .utf8)
        }
        return queries
    }

    static func literal(_ value: String, lang: String? = nil) -> [String: String] {
        var v = ["type": "literal", "value": value]
        if let lang { v["xml:lang"] = lang }
        return v
    }

    static func results(_ vars: [String], _ rows: [[String: [String: String]]]) -> Data {
        let body: [String: Any] = ["head": ["vars": vars], "results": ["bindings": rows]]
        return try! JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
    }

    /// The names query's answer: a new Hebrew name for PepsiCo, a name whose item no entity has,
    /// and a name that already belongs to another entity.
    static let names = results(
        ["qid", "name", "lang"],
        [
            ["qid": literal("Q334800"), "name": literal("פפסיקו", lang: "he"), "lang": literal("he")],
            ["qid": literal("Q334800"), "name": literal("PepsiCo", lang: "en"), "lang": literal("en")],
            ["qid": literal("Q900000099"), "name": literal("Stranger Holdings", lang: "en"), "lang": literal("en")],
            ["qid": literal("Q900000002"), "name": literal("HP", lang: "en"), "lang": literal("en")],
            ["qid": literal("Q900000008"), "name": literal("Yellow", lang: "en"), "lang": literal("en")],
        ])

    static func edge(
        _ owned: (String, String), _ owner: (String, String), claim: String, on statedOn: String, start: String = "",
        end: String = "", percent: String = ""
    ) -> [String: [String: String]] {
        [
            "ownedQid": literal(owned.1), "ownedLabel": literal(owned.0, lang: "en"), "ownerQid": literal(owner.1),
            "ownerLabel": literal(owner.0, lang: "en"), "claim": literal(claim), "statedOn": literal(statedOn),
            "start": literal(start), "end": literal(end), "percent": literal(percent),
        ]
    }

    /// The ownership query's answer: a new link with a start month and a share, an ended one
    /// (history), one that would give HyperX a second owner, one to an owner no entity is, one whose
    /// owner is given by name only (an empty item), one ending before it starts between entities
    /// the data holds (set aside), and the same to an owner the data does not hold (skipped).
    static let ownership = results(
        ["ownedQid", "ownedLabel", "ownerQid", "ownerLabel", "claim", "statedOn", "start", "end", "percent"],
        [
            edge(
                ("Planet Fitness", "Q900000005"), ("Orion Group", "Q900000006"), claim: "owned by (P127)", on: "Q900000005",
                start: "2019-06", percent: "60.0"),
            edge(("Plain Brand", "Q900000005"), ("HP Inc.", ""), claim: "owned by (P127)", on: "Q900000005"),
            edge(
                ("Orion Group", "Q900000006"), ("PepsiCo", "Q334800"), claim: "owned by (P127)", on: "Q900000006",
                start: "2010", end: "2001"),
            edge(
                ("Orion Group", "Q900000006"), ("Nobody", "Q900000097"), claim: "owned by (P127)", on: "Q900000006",
                start: "2010", end: "2001"),
            edge(
                ("Quiet Foods", "Q900000007"), ("Orion Group", "Q900000006"), claim: "subsidiary (P355)", on: "Q900000006",
                start: "2001", end: "2010-03-31"),
            edge(("HyperX", "Q900000004"), ("PepsiCo", "Q334800"), claim: "parent organization (P749)", on: "Q900000004"),
            edge(("SodaStream", "Q900000002"), ("Somebody Else", "Q900000098"), claim: "owned by (P127)", on: "Q900000002"),
        ])

    @Test("refresh asks the query service with the definitions' SPARQL and a User-Agent; names and links join by item only")
    func refreshFromQueryService() throws {
        let server = try LoopbackHTTPServer { request, record in
            let items = URLComponents(string: "http://h" + request.uri.description)?.queryItems ?? []
            let query = items.first { $0.name == "query" }?.value ?? ""
            let format = items.first { $0.name == "format" }?.value ?? ""
            record("\(request.uri.path) format=\(format) ua=\(request.headers[.userAgent] ?? "")\n" + query)
            let body = query.contains("rdfs:label ?name") ? Self.names : query.contains("p:P127") ? Self.ownership : Data()
            return Response(
                status: body.isEmpty ? .badRequest : .ok, headers: [.contentType: "application/sparql-results+json"],
                body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
        let queries = try installDefinitions(url: server.url("sparql"))
        #expect(try cli(["refresh"]).status == 0)
        #expect(try cli(["פפסיקו"]).status == 13, "before: the Hebrew name is unknown")
        #expect(server.requests.isEmpty, "the Wikidata sources are not part of the default build")

        let refresh = try cli(["refresh", "wikidata-names", "wikidata-ownership"])
        #expect(refresh.status == 0, "\(refresh.stderr)")

        // Each query was sent as written in its definition, percent-encoded, with format=json.
        let sent = server.requests
        #expect(sent.count == 2)
        for (name, query) in queries {
            #expect(
                sent.contains { $0.hasPrefix("/sparql format=json ua=bdscheck/") && $0.hasSuffix("\n" + query) },
                "\(name)'s query was not sent as written")
        }
        #expect(refresh.stdout.contains("wikidata-names: 5 records → 1 alias (1 skipped)"), "\(refresh.stdout)")
        #expect(refresh.stdout.contains("wikidata-ownership: 7 records → 2 ownership (3 skipped) (1 invalid records set aside"))
        #expect(refresh.stdout.contains("wikidata-names: 1 aliases not added because they already name another entity"))
        #expect(refresh.stdout.contains("wikidata-ownership: 1 ownership rows not added because another source gives"))

        // Names: the new name finds PepsiCo; a name of an unknown item created nothing; a name that
        // already names another entity stayed with it.
        let hebrew = try cli(["--json", "פפסיקו"])
        #expect(hebrew.stdout.contains(#""name":"PepsiCo""#), "\(hebrew.stdout)")
        #expect(try cli(["Stranger Holdings"]).status == 13)
        #expect(try cli(["--json", "HP"]).stdout.contains(#""name":"HP Inc.""#))
        // The bare word a bracketed name avoids stays unknown.
        #expect(try cli(["yellow"]).status == 13)
        #expect(try cli(["--json", "Yellow (fixture stores)"]).stdout.contains(#""name":"Yellow (fixture stores)""#))

        // Ownership: the new link, with Wikidata's page and statement; the ended one as history.
        let fitness = try cli(["--json", "Planet Fitness"]).stdout
        #expect(fitness.contains("https://www.wikidata.org/wiki/Q900000005"), "\(fitness)")
        #expect(fitness.contains("Wikidata statement on Q900000005: owned by (P127)"))
        #expect(fitness.contains(#""name":"Orion Group""#))
        #expect(fitness.contains(#""percent":60"#), "\(fitness)")
        // Owners given by name only, or ending before they start, are not followed.
        #expect(!(try cli(["--json", "Plain Brand"]).stdout.contains("Wikidata statement")))
        #expect(!(try cli(["--json", "Orion Group"]).stdout.contains("PepsiCo")))
        let quiet = try cli(["Quiet Foods"]).stdout
        #expect(quiet.contains("Formerly"), "\(quiet)")
        #expect(quiet.contains("2010-03-31"))
        // HyperX keeps its curated owner only; no one is created for an unknown owner.
        let hyperx = try cli(["--json", "HyperX"]).stdout
        #expect(hyperx.contains(#""name":"HP Inc.""#))
        #expect(!hyperx.contains("Wikidata statement"), "\(hyperx)")
        #expect(try cli(["Somebody Else"]).status == 13)
    }
}
