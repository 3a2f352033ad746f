import BDSCore
import BDSImport
import BDSStore
import Foundation
import Testing

/// The definition tools a maintainer needs on real files: conditions, dates, footnotes, templates,
/// URLs inside text, several alias sources, and paths that match nothing.
@Suite("Definition features")
struct DefinitionFeatureTests {
    static let companies = """
        [[emit]]
        into = "company"
        [emit.fields]
        name = "name"
        """

    static func build(csv: String, emits: String) throws -> ImportHarness {
        try ImportHarness.build(files: [
            "importers/10-test.toml": ImportHarness.definition(file: "rows.csv", format: "type = \"csv\"", emits: emits),
            "data/rows.csv": csv,
        ])
    }

    static func failure(csv: String, emits: String) -> ImportError? {
        ImportHarness.failure(files: [
            "importers/10-test.toml": ImportHarness.definition(file: "rows.csv", format: "type = \"csv\"", emits: emits),
            "data/rows.csv": csv,
        ])
    }

    static func names(_ h: ImportHarness) throws -> [String] {
        try h.rows("SELECT name FROM entity ORDER BY name").map { $0[0] ?? "" }
    }

    // MARK: - when

    @Test(
        "when: not, empty, present, prefix, matches, all and any pick the rows they say",
        arguments: [
            (#"{ not = { column = "status", equals = "listed" } }"#, ["B", "C", "D"]),
            (#"{ column = "date", empty = true }"#, ["A", "C"]),
            (#"{ column = "date", present = true }"#, ["B", "D"]),
            (#"{ column = "note", prefix = "Response" }"#, ["A", "B"]),
            (#"{ column = "note", prefix = ["Resp", "Later"] }"#, ["A", "B", "D"]),
            (#"{ column = "date", matches = "^[0-9]{1,2} [A-Za-z]+ [0-9]{4}$" }"#, ["B"]),
            (#"{ all = [{ column = "status", equals = "listed" }, { column = "date", empty = true }] }"#, ["A"]),
            (#"{ any = [{ column = "status", equals = "gone" }, { column = "note", prefix = "Later" }] }"#, ["C", "D"]),
            (#"{ not = { any = [{ column = "status", in = ["listed", "gone"] }] } }"#, ["B", "D"]),
        ])
    func conditions(when: String, expected: [String]) throws {
        let csv = """
            name,status,date,note
            A,listed,,Response (23 September 2025)
            B,delisted,8 December 2025,Response (24 September 2025)
            C,gone,,
            D,delisted,2026-07,Later
            """
        let emits = Self.companies.replacingOccurrences(of: "[emit.fields]", with: "when = \(when)\n[emit.fields]")
        #expect(try Self.names(Self.build(csv: csv, emits: emits)) == expected)
    }

    @Test(
        "when: malformed conditions are errors naming the key",
        arguments: [
            (#"{ column = "s" }"#, "emit[1].when"),
            (#"{ column = "s", equals = "a", prefix = "b" }"#, "emit[1].when"),
            (#"{ not = { column = "s", equals = "a" }, column = "s" }"#, "emit[1].when"),
            (#"{ all = [] }"#, "emit[1].when.all"),
            (#"{ column = "s", matches = "([a-z" }"#, "emit[1].when.matches"),
            (#"{ column = "s", empty = false }"#, "emit[1].when.empty"),
            (#"{ any = [{ column = "s" }] }"#, "emit[1].when.any[1]"),
            (#"{ column = "s", prefix = "" }"#, "emit[1].when.prefix"),
        ])
    func conditionErrors(when: String, field: String) {
        let emits = Self.companies.replacingOccurrences(of: "[emit.fields]", with: "when = \(when)\n[emit.fields]")
        let error = Self.failure(csv: "name,s\nA,a\n", emits: emits)
        #expect(error?.field == field)
        #expect(error?.file.hasSuffix("10-test.toml") == true)
    }

    // MARK: - Transforms

    @Test(
        "date reads written dates and refuses ambiguous ones",
        arguments: [
            ("17 July 2026", "2026-07-17"), ("8 December 2025", "2025-12-08"), ("17 Jul 2026", "2026-07-17"),
            ("July 17, 2026", "2026-07-17"), ("17th July 2026", "2026-07-17"), ("1st Sept 2025", "2025-09-01"),
            ("17-Jul-2026", "2026-07-17"), ("July 2026", "2026-07"), ("2026-07-17", "2026-07-17"), ("2026", "2026"),
        ])
    func dates(text: String, iso: String) throws {
        let h = try Self.build(
            csv: "name,when\nA,\"\(text)\"\n",
            emits: Self.companies + """

                [[emit]]
                into = "listing"
                [emit.fields]
                target = "name"
                campaign = { value = "C" }
                category = { value = "other" }
                start_date = { column = "when", transform = ["date"] }
                """)
        #expect(try h.rows("SELECT start_date FROM listing") == [[iso]])
    }

    @Test("date: a form that could be read two ways is an error with the line, field and value")
    func ambiguousDate() {
        let error = Self.failure(
            csv: "name,when\nA,8 December 2025\nB,08/12/2025\n",
            emits: Self.companies + "\nnote = { column = \"when\", transform = [\"date\"] }")
        #expect(error?.line == 3)
        #expect(error?.field == "when")
        #expect(error?.value == "08/12/2025")
    }

    @Test(
        "strip-footnotes removes a footnote after the final full stop, with or without a space",
        arguments: [
            ("Ashtrom Residential Development Ltd. a", "Ashtrom Residential Development Ltd."),
            ("Davidov Garages Ltd.b", "Davidov Garages Ltd."), ("Airbnb Inc.12", "Airbnb Inc."),
            ("Alstom S. A.", "Alstom S. A."), ("Powergen Solar A Ltd.i", "Powergen Solar A Ltd."),
            ("Example S.A. de", "Example S.A. de"), ("Tahal Group International B.V.", "Tahal Group International B.V."),
        ])
    func footnotes(raw: String, stripped: String) throws {
        let h = try Self.build(
            csv: "name\n\"\(raw)\"\n",
            emits: Self.companies.replacingOccurrences(
                of: "name = \"name\"", with: "name = { column = \"name\", transform = [\"trim\", \"strip-footnotes\"] }"))
        #expect(try Self.names(h) == [stripped])
    }

    @Test(
        "first-url takes the first http(s) URL out of Markdown or HTML text",
        arguments: [
            (
                "**24S** is owned by **LVMH**.\n\nInvests in Wiz.[^1]\n\n[^1]: https://www.timesofisrael.com/luxury-goods-wiz/",
                "https://www.timesofisrael.com/luxury-goods-wiz/"
            ),
            ("See [the report](https://example.org/report?id=3) and https://example.org/b.", "https://example.org/report?id=3"),
            ("<a href=\"http://example.org/x\">x</a>", "http://example.org/x"),
            ("Ends a sentence: https://example.org/page.", "https://example.org/page"),
            ("No link at all", ""),
        ])
    func firstURL(text: String, url: String) throws {
        let h = try Self.build(
            csv: "name,description\nA,\"\(text.replacingOccurrences(of: "\"", with: "\"\""))\"\n",
            emits: """
                [[emit]]
                into = "company"
                [emit.fields]
                name = "name"
                source_url = { column = "description", transform = ["first-url"] }
                """)
        #expect(try h.rows("SELECT source_url FROM entity") == [[url.isEmpty ? "https://example.org/list" : url]])
    }

    // MARK: - Templates and several sources for one field

    @Test("template builds a per-row URL; an empty placeholder leaves the field empty")
    func template() throws {
        let h = try Self.build(
            csv: "name,id\nSabra,sabra\nNo Id,\n",
            emits: """
                [[emit]]
                into = "company"
                [emit.fields]
                name = "name"
                source_url = { template = "https://example.org/brands/{id}.yaml" }
                """)
        #expect(
            try h.rows("SELECT name, source_url FROM entity ORDER BY name") == [
                ["No Id", "https://example.org/list"], ["Sabra", "https://example.org/brands/sabra.yaml"],
            ])
    }

    @Test(
        "template: unpaired braces or an unknown field are errors naming the key",
        arguments: [
            (#"{ template = "https://x/{id" }"#, "emit[1].fields.note.template"),
            (#"{ template = "no placeholder" }"#, "emit[1].fields.note.template"),
            (#"{ template = "https://x/{nope}" }"#, "emit[1].fields.note"),
            (#"{ template = "a", column = "id" }"#, "emit[1].fields.note"),
        ])
    func templateErrors(spec: String, field: String) {
        let error = Self.failure(csv: "name,id\nA,a\n", emits: Self.companies + "\nnote = \(spec)")
        #expect(error?.field == field)
    }

    @Test("several alias sources in one emit: a key alias and a split cell; a single field takes the first non-empty")
    func severalSources() throws {
        let h = try Self.build(
            csv:
                "name,id,other,url,page\nCoca-Cola,tccc-1,Coke; كوكا كولا,,https://example.org/coke\nFanta,fnt-2,,https://example.org/fanta,\n",
            emits: """
                [[emit]]
                into = "brand"
                [emit.fields]
                name = "name"
                aliases = ["id", { column = "other", split = ";" }]
                source_url = ["url", "page"]
                """)
        let aliases = try h.rows(
            "SELECT e.name, a.name FROM alias a JOIN entity e ON e.id = a.entity_id WHERE a.name <> e.name ORDER BY 1, 2")
        #expect(aliases.contains(["Coca-Cola", "tccc-1"]))
        #expect(aliases.contains(["Coca-Cola", "Coke"]))
        #expect(aliases.contains(["Coca-Cola", "كوكا كولا"]))
        #expect(aliases.contains(["Fanta", "fnt-2"]))
        #expect(
            try h.rows("SELECT name, source_url FROM entity ORDER BY name") == [
                ["Coca-Cola", "https://example.org/coke"], ["Fanta", "https://example.org/fanta"],
            ])
    }

    // MARK: - Paths that match nothing

    static func json(_ data: String, record: String, emits: String) -> ImportError? {
        ImportHarness.failure(files: [
            "importers/10-test.toml": ImportHarness.definition(
                file: "data.json", format: "type = \"json\"\nrecord = \"\(record)\"", emits: emits),
            "data/data.json": data,
        ])
    }

    @Test("JSON: a field path that matches nothing in any record is an error with the definition line and the keys found")
    func jsonPathMatchesNothing() {
        let data = """
            {"brands": {"sabra": {"name": "Sabra", "stakeholders": [{"id": "pepsico", "type": "owner", "percent": 50}]},
                        "pepsico": {"name": "PepsiCo", "stakeholders": []}}}
            """
        let error = Self.json(
            data, record: "brands.*.stakeholders.*",
            emits: """
                [[emit]]
                into = "ownership"
                create-missing = "company"
                [emit.fields]
                owned = "../name"
                owner = "id"
                percent = "ownership_percent"
                """)
        #expect(error?.file == "importers/10-test.toml")
        #expect(error?.line == 18)  // the `percent = …` line of the definition
        #expect(error?.field == "emit[1].fields.percent")
        #expect(error?.value == "ownership_percent")
        #expect(error?.message.contains("the keys id, type, percent") == true)
        #expect(error?.message.contains("data.json") == true)
    }

    @Test("JSON: a key present with null or an empty list is not a typo; a when column is checked too")
    func jsonPresentButEmpty() {
        let data = #"{"brands": [{"name": "A", "owner": null, "tags": []}, {"name": "B"}]}"#
        #expect(
            Self.json(
                data, record: "brands.*",
                emits: """
                    [[emit]]
                    into = "company"
                    [emit.fields]
                    name = "name"
                    note = "owner"
                    aliases = "tags"
                    """) == nil)
        let error = Self.json(
            data, record: "brands.*",
            emits: """
                [[emit]]
                into = "company"
                when = { column = "stauts", equals = "avoid" }
                [emit.fields]
                name = "name"
                """)
        #expect(error?.field == "emit[1].when")
        #expect(error?.value == "stauts")
        #expect(error?.line == 14)
    }

    @Test("JSON: a record path that finds no record is an error, not an empty source")
    func jsonRecordPathMatchesNothing() {
        let error = Self.json(
            #"{"brands": {"a": {"name": "A", "stakeholders": []}}}"#, record: "brands.*.owners.*",
            emits: Self.companies)
        #expect(error?.field == "format.record")
        #expect(error?.message.contains("no record was read") == true)
    }

    static func xml(emits: String) -> ImportError? {
        ImportHarness.failure(files: [
            "importers/10-test.toml": ImportHarness.definition(
                file: "list.xml", format: "type = \"xml\"\nrecord = \"GCPPrefixFormatList/entry\"", emits: emits),
            "data/list.xml": """
            <?xml version="1.0"?>
            <GCPPrefixFormatList date="2020-01-01"><entry prefix="72900" gcpLength="10"><note>a</note></entry><entry prefix="0" gcpLength="7"/></GCPPrefixFormatList>
            """,
        ])
    }

    @Test("XML: an optional attribute or element path that matches nothing is an error listing what the first record has")
    func xmlPathMatchesNothing() {
        let error = Self.xml(
            emits: """
                [[emit]]
                into = "company"
                [emit.fields]
                name = "@prefix"
                note = "comment"
                """)
        #expect(error?.field == "emit[1].fields.note")
        #expect(error?.value == "comment")
        #expect(error?.line == 16)
        #expect(error?.message.contains("the attributes @prefix, @gcpLength and the elements note") == true)
        #expect(error?.message.contains("any of the 2 records") == true)
    }

    @Test("XML: a required field whose path is not there fails on the first record, saying what the record has")
    func xmlRequiredPathMissing() {
        let error = Self.xml(
            emits: """
                [[emit]]
                into = "gcp-length"
                [emit.fields]
                prefix = "@prefix"
                length = "@gcp_length"
                """)
        #expect(error?.line == 2)
        #expect(error?.field == "@gcp_length")
        #expect(
            error?.message.contains("@gcp_length is not in this record, which has the attributes @prefix, @gcpLength") == true)
    }

    // MARK: - Alternatives

    @Test("alternatives: shown only under a listed answer, labelled with the source, never one that is itself listed")
    func alternatives() throws {
        let h = try ImportHarness.build(files: [
            "importers/10-brands.toml": ImportHarness.definition(
                file: "brands.csv", format: "type = \"csv\"",
                emits: """
                    [[emit]]
                    into = "brand"
                    [emit.fields]
                    name = "name"

                    [[emit]]
                    into = "listing"
                    when = { column = "listed", equals = "yes" }
                    [emit.fields]
                    target = "name"
                    campaign = { value = "C" }
                    category = { value = "consumer-boycott" }
                    """),
            "data/brands.csv":
                "name,listed,owner\nListed Cola,yes,\nOther Listed,yes,\nPlain Cola,no,\nOwner Co,no,\nOwned Fizz,yes,Owner Co\n",
            "importers/20-owners.toml": ImportHarness.definition(
                file: "brands.csv", format: "type = \"csv\"",
                emits: """
                    [[emit]]
                    into = "ownership"
                    skip-when-empty = ["owner"]
                    [emit.fields]
                    owned = "name"
                    owner = "owner"
                    """
            ).replacingOccurrences(of: "id = \"test\"", with: "id = \"owners\""),
            "importers/30-alternatives.toml": ImportHarness.definition(
                file: "alternatives.csv", format: "type = \"csv\"",
                emits: """
                    [[emit]]
                    into = "alternative"
                    [emit.fields]
                    for = "for"
                    alternative = { column = "instead", split = ";" }
                    text = "words"
                    region = "region"
                    """
            ).replacingOccurrences(of: "id = \"test\"", with: "id = \"alternatives\""),
            "data/alternatives.csv":
                "for,instead,words,region\nListed Cola,Other Listed; Plain Cola; Owner Co,Tap water,Europe\nPlain Cola,Listed Cola,,\n",
        ])
        let store = try h.store()
        let listed = try store.verdict(for: "Listed Cola")
        #expect(listed.verdict == .listedConsumerBoycott)
        // Other Listed is listed and Owner Co owns a listed brand: neither is shown.
        #expect(listed.alternatives.map { $0.entity?.name ?? $0.text } == ["Plain Cola", "Tap water"])
        #expect(listed.alternatives.allSatisfy { $0.suggestedBy == "Test source" && $0.region == "Europe" })
        #expect(listed.alternatives.allSatisfy { $0.forEntity.name == "Listed Cola" })
        // A clean answer has no alternatives, whatever a source suggests for it.
        #expect(try store.verdict(for: "Plain Cola").alternatives.isEmpty)
        #expect(try h.rows("SELECT count(*) FROM alternative") == [["5"]])
    }

    @Test("alternatives: an emit needs a suggested name or words")
    func alternativeNeedsSuggestion() {
        let error = Self.failure(
            csv: "name\nA\n", emits: Self.companies + "\n\n[[emit]]\ninto = \"alternative\"\n[emit.fields]\nfor = \"name\"")
        #expect(error?.field == "emit[2].fields")
    }

    // MARK: - fetch-query, wikidata-item, match-only names and ownership by item

    static func definition(source: String) -> String {
        """
        [source]
        id = "remote"
        name = "Remote"
        \(source)

        [format]
        type = "json"
        record = "results.bindings.*"

        [[emit]]
        into = "company"
        [emit.fields]
        name = "name.value"
        """
    }

    @Test("fetch-query: each parameter percent-encoded (RFC 3986 unreserved kept), in key order, after the fetch URL")
    func fetchQuery() throws {
        let text = Self.definition(
            source: """
                fetch = "https://query.example.org/sparql"
                [source.fetch-query]
                query = '''
                SELECT ?x WHERE { ?x wdt:P31 "é&=+" } # a~b_c.d-e
                '''
                format = "json"
                """)
        let d = try ImportDefinition(toml: text, path: "t.toml")
        #expect(
            d.source.location
                == "https://query.example.org/sparql?format=json&query=SELECT%20%3Fx%20WHERE%20%7B%20%3Fx%20wdt%3AP31%20%22%C3%A9%26%3D%2B%22%20%7D%20%23%20a~b_c.d-e%0A"
        )
        #expect(
            URLComponents(string: d.source.location)?.queryItems?.first { $0.name == "query" }?.value
                == "SELECT ?x WHERE { ?x wdt:P31 \"é&=+\" } # a~b_c.d-e\n")
        let withQuery = try ImportDefinition(
            toml: Self.definition(source: "fetch = \"https://example.org/api?key=1\"\n[source.fetch-query]\nq = \"a b\""),
            path: "t.toml")
        #expect(withQuery.source.location == "https://example.org/api?key=1&q=a%20b")
    }

    @Test(
        "fetch-query: refused on a local file, as a non-table, or with a value that is not a string",
        arguments: [
            ("file = \"x.json\"\n[source.fetch-query]\nq = \"a\"", "source.fetch-query", "only a `fetch` source"),
            ("fetch = \"https://example.org/\"\nfetch-query = \"q=a\"", "source.fetch-query", "must be a table"),
            ("fetch = \"https://example.org/\"\n[source.fetch-query]\nlimit = 5", "source.fetch-query.limit", "must be a string"),
            ("fetch = \"https://example.org/a#top\"\n[source.fetch-query]\nq = \"a\"", "source.fetch", "#fragment"),
        ])
    func fetchQueryErrors(source: String, field: String, message: String) {
        #expect(throws: ImportError.self) { try ImportDefinition(toml: Self.definition(source: source), path: "t.toml") }
        do {
            _ = try ImportDefinition(toml: Self.definition(source: source), path: "t.toml")
        } catch let error as ImportError {
            #expect(error.field == field)
            #expect(error.message.contains(message), "\(error.message)")
        } catch {}
    }

    static let itemRules = """
        [[emit]]
        into = "company"
        when = { column = "kind", equals = "entity" }
        [emit.fields]
        name = "name"

        [[emit]]
        into = "wikidata-item"
        when = { column = "kind", equals = "item" }
        [emit.fields]
        entity = "name"
        wikidata = "item"
        """

    /// `itemRules` and one more emit, into `target` with `link`, for the rows of kind `kind`.
    static func itemRules(then target: String, link: String, on kind: String, fields: String) -> String {
        itemRules + "\n\n[[emit]]\ninto = \"\(target)\"\nlink = \"\(link)\"\n"
            + "when = { column = \"kind\", equals = \"\(kind)\" }\n[emit.fields]\n\(fields)"
    }

    @Test(
        "wikidata-item: an unknown name, an item on two entities, two items on one, or a malformed item stops the build at its row",
        arguments: [
            ("kind,name,item\nitem,Nobody,Q1\n", "entity", "no company or brand of that name"),
            (
                "kind,name,item\nentity,Acme,\nentity,Zenith,\nitem,Acme,Q7\nitem,Zenith,Q7\n", "wikidata",
                "already the Wikidata item of 'Acme'"
            ),
            ("kind,name,item\nentity,Acme,\nitem,Acme,Q7\nitem,Acme,Q8\n", "wikidata", "'Acme' is already Wikidata item Q7"),
            ("kind,name,item\nentity,Acme,\nitem,Acme,7\n", "wikidata", "Q followed by digits"),
        ])
    func wikidataItemErrors(csv: String, field: String, message: String) throws {
        let error = try #require(Self.failure(csv: csv, emits: Self.itemRules))
        #expect(error.field == field)
        #expect(error.message.contains(message), "\(error.message)")
        #expect(error.line == csv.split(separator: "\n").count, "the row that fails")
    }

    @Test("match-only names join only the entity of their item: an unknown item is skipped, never created or joined by name")
    func matchOnlyNamesByItem() throws {
        let emits = Self.itemRules(then: "brand", link: "match-only", on: "name", fields: #"name = "name"\#nwikidata = "item""#)
        let h = try Self.build(
            csv:
                "kind,name,item\nentity,Acme,\nentity,Zenith,\nitem,Acme,Q7\nname,Acme Werke,Q7\nname,Zenith,Q9\nname,Stranger,Q9\n",
            emits: emits)
        #expect(try Self.names(h) == ["Acme", "Zenith"])
        #expect(
            try h.rows("SELECT a.name FROM alias a JOIN entity e ON e.id = a.entity_id WHERE e.name = 'Acme' ORDER BY a.name")
                .map { $0[0] ?? "" } == ["Acme", "Acme Werke"])
        #expect(try h.rows("SELECT skipped FROM source WHERE id = 'test'") == [["2"]])

        let noItem = Self.failure(
            csv: "name\nA\n", emits: "[[emit]]\ninto = \"brand\"\nlink = \"match-only\"\n[emit.fields]\nname = \"name\"")
        #expect(noItem?.field == "emit[1].link")
        #expect(noItem?.message.contains("give its `wikidata` field") == true)
    }

    @Test(
        "ownership by item: both ends found by their Wikidata items whatever the names; an unknown item fails, or is skipped when match-only"
    )
    func ownershipByItem() throws {
        func emits(_ link: String) -> String {
            Self.itemRules(
                then: "ownership", link: link, on: "edge",
                fields: #"owned = "name"\#nowner = "owner"\#nowned_wikidata = "item"\#nowner_wikidata = "owner_item""#)
        }
        let csv = """
            kind,name,item,owner,owner_item
            entity,Acme,,,
            entity,Zenith,,,
            item,Acme,Q7,,
            item,Zenith,Q9,,
            edge,Acme SA,Q7,Zenith Holdings,Q9

            """
        let h = try Self.build(csv: csv, emits: emits("create"))
        #expect(
            try h.rows("SELECT o.name, p.name FROM ownership JOIN entity o ON o.id = owned_id JOIN entity p ON p.id = owner_id")
                == [["Acme", "Zenith"]])
        #expect(try Self.names(h) == ["Acme", "Zenith"])

        let unknown = csv + "edge,Acme,Q7,Nobody,Q404\n"
        let error = try #require(Self.failure(csv: unknown, emits: emits("create")))
        #expect(error.field == "owner_item")
        #expect(error.value == "Q404")
        let skipped = try Self.build(csv: unknown, emits: emits("match-only"))
        #expect(try skipped.rows("SELECT skipped FROM source WHERE id = 'test'") == [["1"]])
        #expect(try Self.names(skipped) == ["Acme", "Zenith"])

        // An empty item never falls back to the name: it fails, or is skipped when match-only.
        let empty = csv + "edge,Acme,Q7,Zenith,\n"
        let emptyError = try #require(Self.failure(csv: empty, emits: emits("create")))
        #expect(emptyError.field == "owner_item")
        #expect(emptyError.message.contains("empty"), "\(emptyError.message)")
        let emptySkipped = try Self.build(csv: empty, emits: emits("match-only"))
        #expect(try emptySkipped.rows("SELECT skipped FROM source WHERE id = 'test'") == [["1"]])
    }
}
