import BDSTestSupport
import Foundation
import Testing

@Suite("The bdscheck executable, end to end", .serialized, .tags(.endToEnd))
struct CLITests {
    let project: String
    let store: String

    init() throws {
        project = try FixtureStore.copyProject()
        store = (project as NSString).deletingLastPathComponent + "/store.sqlite"
    }

    func run(_ args: [String], stdin: String? = nil) throws -> CLI.Result {
        try CLI.run(args + ["--data", project, "--store", store], stdin: stdin)
    }

    func buildStore() throws {
        let r = try CLI.run(["refresh", "--data", project, "--store", store])
        #expect(r.status == 0, "refresh failed: \(r.stderr)")
    }

    @Test(
        "Exit statuses distinguish every verdict level",
        arguments: [
            ("sabra", Int32(10)), ("SodaStream", 11), ("7290011498382", 12), ("Plain Brand", 0),
            ("Fitness", 13), ("7290011498387", 65),
        ])
    func exitStatuses(query: String, status: Int32) throws {
        try buildStore()
        let r = try run([query])
        #expect(r.status == status, "\(query): \(r.stdout) \(r.stderr)")
    }

    @Test("Text answers show the list, the reason, the path, the dates and the source")
    func textAnswer() throws {
        try buildStore()
        let r = try run(["sabra"])
        #expect(r.stdout.hasPrefix("Consumer boycott target\n"))
        #expect(r.stdout.contains("Fixture Campaign: Consumer boycott target · names: Strauss Group"))
        #expect(r.stdout.contains("Fixture Campaign: Pressure campaign target · names: PepsiCo"))
        #expect(r.stdout.contains("linked by: Sabra → 50 % owned by Strauss Group"))
        #expect(r.stdout.contains("listed since 2023-12-23"))
        #expect(r.stdout.contains("source: https://example.org/fixture/list (read 2026-01-01)"))
        // Every ownership step names who claims it, and when that was read.
        #expect(
            r.stdout.contains(
                "Sabra → owned by Strauss Group (50 %) · source [ownership]: https://example.org/fixture/sabra-owners (read 2026-01-01)"
            ))
        // The source's own words about a link are printed under it.
        let lines = r.stdout.split(separator: "\n").map(String.init)
        let link = try #require(lines.firstIndex { $0.contains("Sabra → owned by Strauss Group (50 %)") })
        #expect(lines[link + 1].trimmingCharacters(in: .whitespaces) == "Half of a joint venture; PepsiCo holds the other half.")
        #expect(!lines[link + 1].hasPrefix("  Owners"), "a note is a continuation line, not another owner")
        let other = try #require(lines.firstIndex { $0.contains("Sabra → owned by PepsiCo (50 %)") })
        #expect(!lines[other + 1].contains("joint venture"), "a link without a note gets no line")
        // A link the build refused (it would close a cycle) is shown with both sides.
        let owner = try run(["Loop Holding A"])
        #expect(
            owner.stdout.contains(
                "Loop Holding A → owned by Loop Holding B (60 %) · source [ownership]: https://example.org/fixture/loop (read 2026-01-01)"
            ))
        #expect(
            owner.stdout.contains(
                "Sources disagree: ownership says Loop Holding B → owned by Loop Holding A (40 %); ownership has Loop Holding A → owned by Loop Holding B (60 %)"
            ))
        #expect(owner.stdout.contains("source [ownership]: https://example.org/fixture/loop\n"))
    }

    @Test(
        "The headline names the leading listing's category; codes that name no product cannot be checked",
        arguments: [
            ("SodaStream", "Pressure campaign target"),
            ("Loop Holding A", "Divestment target"),
            ("Listed Example Ltd", "In the UN database of businesses in settlements"),
            ("9780306406157", "Cannot be checked: book code"),
            ("Plain Brand", "No listing found"),
            ("sabr", "Not found: did you mean…?"),
            ("Fitness", "Unknown: not in the data"),
            ("7290011498387", "Mistyped barcode: check digit should be 2"),
        ])
    func headlines(query: String, headline: String) throws {
        try buildStore()
        let r = try run([query])
        #expect(r.stdout.hasPrefix(headline + "\n"), "\(query): \(r.stdout)")
    }

    @Test("A listing without a start date says when the list was read")
    func undatedListing() throws {
        try buildStore()
        let r = try run(["Listed Example Ltd"])
        #expect(r.stdout.contains("on the list as read 2026-07-17"))
    }

    @Test("A mistyped barcode names the expected check digit")
    func mistypedBarcode() throws {
        try buildStore()
        let r = try run(["7290011498387"])
        #expect(r.status == 65)
        #expect(r.stdout.contains("check digit should be 2, not 7"))
    }

    @Test("--json prints one object per query with the documented keys")
    func jsonShape() throws {
        try buildStore()
        let r = try run(["--json", "hyperx"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(object["verdict"] as? String == "listed-consumer-boycott")
        #expect(object["kind"] as? String == "name")
        let listings = try #require(object["listings"] as? [[String: Any]])
        let listing = try #require(listings.first?["listing"] as? [String: Any])
        #expect(listing["sourceUrl"] as? String == "https://example.org/fixture/list")
        #expect(listing["category"] as? String == "consumer-boycott")
        #expect(listing["active"] as? Bool == true)
        let path = try #require(listings.first?["path"] as? [String: Any])
        #expect(path["text"] as? String == "HyperX → owned by HP Inc.")
    }

    @Test("--json is one line per answer for one query as for several; --pretty indents it")
    func jsonLines() throws {
        try buildStore()
        let one = try run(["--json", "hyperx"])
        #expect(one.stdout.split(separator: "\n").count == 1)
        let two = try run(["--json", "hyperx", "sabra"])
        #expect(two.stdout.split(separator: "\n").count == 2)
        #expect(two.stdout.hasPrefix(one.stdout))
        let pretty = try run(["--json", "--pretty", "hyperx"])
        #expect(pretty.stdout.split(separator: "\n").count > 10)
        let reparsed = try JSONSerialization.jsonObject(with: Data(pretty.stdout.utf8)) as? [String: Any]
        #expect(reparsed?["verdict"] as? String == "listed-consumer-boycott")
        let sources = try run(["sources", "--json"])
        #expect(sources.stdout.split(separator: "\n").count == 1)
    }

    @Test("search --limit takes the range GET /v1/search takes", arguments: [(0, Int32(64)), (1, 0), (50, 0), (51, 64)])
    func searchLimit(limit: Int, status: Int32) throws {
        try buildStore()
        let r = try run(["search", "--limit", String(limit), "sodastrem"])
        #expect(r.status == status, "\(r.stderr)")
        if status == 64 { #expect(r.stderr.contains("from 1 to 50")) }
    }

    @Test("--help wraps each paragraph once, at the terminal's width, not at the source's line breaks")
    func helpWrapping() throws {
        let wide = try CLI.run(["--help"], environment: ["COLUMNS": "300"])
        #expect(
            wide.stdout.contains(
                "Reports what named sources say: which list, which category, why, since when, and the ownership path from the product to the listed company."
            ), "\(wide.stdout)")
        let narrow = try CLI.run(["--help"], environment: ["COLUMNS": "60"])
        #expect(narrow.stdout.split(separator: "\n").allSatisfy { $0.count <= 60 }, "\(narrow.stdout)")
        let sources = try CLI.run(["sources", "--help"], environment: ["COLUMNS": "300"])
        #expect(sources.stdout.contains("--json") && sources.stdout.contains("SHA-256"))
    }

    @Test("docs/bdscheck.1 is generated from the current help: every command's and option's text is in it")
    func manualIsCurrent() throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let manual = try String(contentsOf: repository.appendingPathComponent("docs/bdscheck.1"), encoding: .utf8)
        let dump = try CLI.run(["--experimental-dump-help"])
        let root = try #require(try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any])
        var texts: [String] = []
        func collect(_ command: [String: Any]) {
            for key in ["abstract", "discussion"] { if let t = command[key] as? String, !t.isEmpty { texts.append(t) } }
            for argument in command["arguments"] as? [[String: Any]] ?? [] {
                if let t = argument["abstract"] as? String, !t.isEmpty { texts.append(t) }
            }
            for sub in command["subcommands"] as? [[String: Any]] ?? [] { collect(sub) }
        }
        collect(try #require(root["command"] as? [String: Any]))
        #expect(texts.count > 30)
        // The page escapes a few characters for roff; compare on the words alone.
        let words = { (s: String) in s.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).joined(separator: " ") }
        let page = words(manual)
        for text in texts {
            #expect(page.contains(words(text)), "not in docs/bdscheck.1 (regenerate it, see README): \(text)")
        }
    }

    @Test("--batch reads stdin and writes one JSON object per line, in order, blank lines included")
    func batch() throws {
        try buildStore()
        let r = try run(["--batch"], stdin: "sabra\n\n7290011498382\nnot a brand at all\n")
        #expect(try Self.verdicts(r.stdout) == ["listed-consumer-boycott", "invalid", "hint-only", "unknown"])
        #expect(r.status == 10, "a blank line's answer does not count towards the exit status")
    }

    @Test("With no query and standard input not a terminal, queries are read from it as with --batch")
    func standardInputWithoutBatch() throws {
        try buildStore()
        let r = try run([], stdin: "sabra\n0040822011143\n")
        #expect(try Self.verdicts(r.stdout) == ["listed-consumer-boycott", "listed-consumer-boycott"])
        #expect(r.status == 10)
    }

    @Test("An unknown option is named as one")
    func unknownOption() throws {
        let r = try CLI.run(["--bogus", "sabra"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("Unknown option '--bogus'"), "\(r.stderr)")
    }

    @Test("A command named after options is a usage error that says to give it first, not a check of its name")
    func commandAfterOptions() throws {
        try buildStore()
        for command in ["refresh", "sources", "serve"] {
            let r = try run(["--json", command])
            #expect(r.status == 64, "\(command): \(r.stdout)")
            #expect(r.stderr.contains("`\(command)` is a command: give it first"), "\(r.stderr)")
            #expect(r.stdout.isEmpty)
        }
        // The explicit check still checks a name spelled like a command.
        let named = try run(["check", "--json", "sources"])
        #expect(try Self.verdicts(named.stdout) == ["unknown"])
        #expect(named.status == 13)
    }

    /// The listed fixture product `0040822011143`, in every form a scanner or phone sends it.
    static let scannedForms = [
        "https://id.gs1.org/01/00040822011143", "https://id.gs1.org/01/00040822011143/10/LOT?17=271231",
        "https://brand.example/p/01/00040822011143", "(01)00040822011143(17)271231(10)LOT", "0100040822011143",
        "0100040822011143\u{1D}17271231", "]C10100040822011143", "]Q30100040822011143", "]d20100040822011143",
        "]E00040822011143", "٠٠٤٠٨٢٢٠١١١٤٣", "۰۰۴۰۸۲۲۰۱۱۱۴۳", "００４０８２２０１１１４３", "\u{200E}0040822011143",
        "0040\u{00A0}822011143", "0040\u{2011}822011143", "0040\u{2013}822011143", "0040822011143\u{1D}",
        "0040822011143\u{0}",
    ]

    @Test("A listed product scanned in any form gets its plain code's verdict, as an argument and in --batch")
    func scannedFormsEndToEnd() throws {
        try buildStore()
        let plain = try run(["--json", "0040822011143"])
        #expect(plain.status == 10)
        for form in Self.scannedForms {
            let r = try run(["--json", form])
            #expect(r.status == 10, "\(form): \(r.stdout)")
            let o = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
            #expect(o["verdict"] as? String == "listed-consumer-boycott", "\(form)")
            #expect((o["barcode"] as? [String: Any])?["gtin14"] as? String == "00040822011143", "\(form)")
        }
        let text = try run(["https://id.gs1.org/01/00040822011143/10/ABC?17=271231"])
        #expect(text.stdout.contains("Read as   GS1 Digital Link → GTIN 00040822011143, lot ABC, expiry 2027-12-31"))
        // Batch lines end at LF, so the forms carrying one (none here) could not be sent this way.
        let batch = try run(["--batch"], stdin: Self.scannedForms.joined(separator: "\n") + "\n")
        #expect(try Self.verdicts(batch.stdout) == Array(repeating: "listed-consumer-boycott", count: Self.scannedForms.count))
        #expect(batch.status == 10)
    }

    static func verdicts(_ stdout: String) throws -> [String] {
        try stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { line in
            let o = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return try #require(o["verdict"] as? String)
        }
    }

    @Test("An empty query is a usage error")
    func emptyQuery() throws {
        let r = try CLI.run([""])
        #expect(r.status == 64)
    }

    @Test("A missing explicit store says how to build it")
    func missingStore() throws {
        let r = try CLI.run(["sabra", "--store", "/nonexistent/store.sqlite"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("bdscheck refresh"))
    }

    @Test("A corrupt store is reported with how to rebuild it")
    func corruptStore() throws {
        try Data("this is not a database".utf8).write(to: URL(fileURLWithPath: store))
        let r = try run(["sabra"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("cannot be read"))
        #expect(r.stderr.contains("refresh"))
    }

    @Test("A dataset row with an unknown reference fails with file, line, field and value; the live store stays")
    func badRowKeepsLiveStore() throws {
        try buildStore()
        let ownership = project + "/datasets/ownership.csv"
        var text = try String(contentsOfFile: ownership, encoding: .utf8)
        text += "Sabra,Strauss Grp,10,https://example.org/x,2026-01-01,\n"
        try text.write(toFile: ownership, atomically: true, encoding: .utf8)
        let r = try CLI.run(["refresh", "--data", project, "--store", store])
        #expect(r.status == 1)
        #expect(r.stderr.contains("datasets/ownership.csv:8: field 'owner' value 'Strauss Grp'"))
        let after = try run(["sabra"])
        #expect(after.status == 10, "the previous store must still answer")
    }

    @Test("search lists scored candidates; sources lists every source with its date")
    func searchAndSources() throws {
        try buildStore()
        let s = try run(["search", "sodastrem"])
        #expect(s.status == 0)
        #expect(s.stdout.contains("SodaStream"))
        let src = try run(["sources", "--json"])
        let o = try #require(try JSONSerialization.jsonObject(with: Data(src.stdout.utf8)) as? [String: Any])
        let sources = try #require(o["sources"] as? [[String: Any]])
        #expect(sources.count == 6)
        #expect(sources.allSatisfy { ($0["sha256"] as? String)?.count == 64 })
    }

    @Test("The default store is built from the data folder on first use and rebuilt when a dataset changes")
    func defaultStoreLifecycle() throws {
        let first = try CLI.run(["sabra", "--data", project])
        #expect(first.status == 10)
        #expect(first.stderr.contains("Building the store"))
        let second = try CLI.run(["sabra", "--data", project])
        #expect(!second.stderr.contains("Building"))
        let listings = project + "/datasets/listings.csv"
        let text = try String(contentsOfFile: listings, encoding: .utf8)
            .replacingOccurrences(
                of: "Strauss Group,Fixture Campaign,consumer-boycott", with: "Strauss Group,Fixture Campaign,organic")
        try text.write(toFile: listings, atomically: true, encoding: .utf8)
        let third = try CLI.run(["sabra", "--data", project])
        #expect(third.stderr.contains("changed"))
        #expect(third.status == 11)
    }
}
