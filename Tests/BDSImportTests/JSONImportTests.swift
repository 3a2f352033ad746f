import BDSCore
import BDSImport
import BDSStore
import Foundation
import Testing

@Suite("JSON and JSONL sources by definition alone")
struct JSONImportTests {
    @Test("a community brand list keyed by id: brands, owner links with their own percentages, avoid-only listings")
    func communityList() throws {
        let h = try ImportHarness.build(fixture: "community-json")
        let brands = try h.rows("SELECT name, kind FROM entity ORDER BY name")
        #expect(brands.map { $0[0] } == ["Cedar's", "PepsiCo", "Sabra", "SodaStream", "Strauss Group"])
        #expect(brands.allSatisfy { $0[1] == "brand" })

        let ownership = try h.rows(
            """
            SELECT a.name, b.name, o.percent FROM ownership o
            JOIN entity a ON a.id = o.owned_id JOIN entity b ON b.id = o.owner_id ORDER BY a.name, b.name
            """)
        #expect(
            ownership == [
                ["Sabra", "PepsiCo", "50"], ["Sabra", "Strauss Group", "50"], ["SodaStream", "PepsiCo", "100"],
            ])

        let listings = try h.rows(
            """
            SELECT e.name, l.category, l.source_url, l.retrieved FROM listing l JOIN entity e ON e.id = l.entity_id ORDER BY e.name
            """)
        #expect(
            listings == [
                ["Sabra", "consumer-boycott", "https://example.org/sabra", "2026-11-20"],
                ["SodaStream", "consumer-boycott", "https://example.org/sodastream", "2026-11-20"],
                ["Strauss Group", "consumer-boycott", "https://example.org/strauss", "2026-11-20"],
            ])
        let reasons = try h.rows(
            "SELECT reasons FROM listing l JOIN entity e ON e.id = l.entity_id WHERE e.name = 'Strauss Group'")
        #expect(reasons.first?.first??.contains("operates in settlements") == true)
        #expect(try h.rows("SELECT records FROM source WHERE id = 'community-brand-owners'") == [["4"]])

        let verdict = try h.store().verdict(for: "Sabra")
        #expect(verdict.owners.count == 2)
        #expect(verdict.listings.count >= 2)  // its own and its 50 % owner's
    }

    @Test("JSONL, gzip-compressed, in the Open Food Facts shape")
    func jsonlGzip() throws {
        let h = try ImportHarness.build(fixture: "jsonl")
        let products = try h.rows(
            """
            SELECT p.gtin, p.name, e.name FROM product p LEFT JOIN entity e ON e.id = p.brand_id ORDER BY p.gtin
            """)
        #expect(
            products == [
                ["7402700194", "Sparkling water maker édition", "SodaStream"],
                ["7290000066318", "Classic Hummus", "Sabra"],
                ["7290001234563", "Coconut Tree Brand, Vegetarian \"Bo Kho\" Seasoning", "Coconut Tree"],
            ])
        let ownership = try h.rows(
            """
            SELECT a.name, b.name FROM ownership o JOIN entity a ON a.id = o.owned_id JOIN entity b ON b.id = o.owner_id ORDER BY a.name, b.name
            """)
        #expect(ownership == [["Sabra", "Strauss Group"], ["SodaStream", "PepsiCo"]])
        #expect(try h.store().verdict(for: "7290000066318").product?.brand?.name == "Sabra")
    }

    static let brandEmit = "[[emit]]\ninto = \"brand\"\n[emit.fields]\nname = \"name\""

    func build(_ json: String, record: String?, type: String = "json", emits: String = brandEmit) throws -> ImportHarness {
        let format = "type = \"\(type)\"" + (record.map { "\nrecord = \"\($0)\"" } ?? "")
        return try ImportHarness.build(files: [
            "data/d.json": json,
            "importers/d.toml": ImportHarness.definition(file: "d.json", format: format, emits: emits),
        ])
    }

    func failure(_ json: String, record: String?, type: String = "json", emits: String = brandEmit) -> ImportError? {
        do {
            _ = try build(json, record: record, type: type, emits: emits)
            return nil
        } catch {
            return error as? ImportError
        }
    }

    @Test("records in an array; numbers and booleans as text; keys and values off the path skipped")
    func arrayRecords() throws {
        let json = """
            {"meta": {"brands": [{"name": "Decoy"}]}, "brands": [
              {"name": "Sabra", "since": 1986, "share": 50.5, "active": true, "x": null, "deep": [[{"a": {}}]]},
              {"name": "Tivall", "since": 1984, "share": 1e2, "active": false}
            ], "tail": "\\u00e9\\ud83d\\ude00"}
            """
        let h = try build(
            json, record: "brands.*",
            emits: """
                [[emit]]
                into = "brand"
                [emit.fields]
                name = "name"
                note = "since"
                country = "share"
                aliases = "active"
                """)
        #expect(
            try h.rows("SELECT name, note, country FROM entity ORDER BY id") == [
                ["Sabra", "1986", "50.5"], ["Tivall", "1984", "1e2"],
            ])
        #expect(try h.rows("SELECT name FROM alias ORDER BY id").compactMap { $0[0] }.contains("true"))
    }

    @Test("string() of an array field is an error asking for a list field")
    func arrayInScalarField() {
        let error = failure(#"{"brands": [{"name": ["A", "B"]}]}"#, record: "brands.*")
        #expect(error?.message.contains("only list fields") == true)
        #expect(error?.field == "name")
    }

    @Test("an object where a value is expected names the field")
    func objectInField() {
        let error = failure(#"{"brands": [{"name": {"en": "A"}}]}"#, record: "brands.*")
        #expect(error?.message.contains("JSON object") == true)
    }

    @Test("a record path whose first key is absent lists the keys there are")
    func wrongRecordPath() {
        let error = failure(#"{"items": {"a": {"name": "A"}}}"#, record: "brands.*")
        #expect(error?.field == "format.record")
        #expect(error?.message.contains("items") == true)
    }

    @Test(
        "malformed JSON names the line",
        arguments: [
            ("{\"brands\": [\n{\"name\": \"A\"},\n{\"name\": \"B\",}\n]}", 3),
            ("{\"brands\": [\n{\"name\": \"A\"}\n{\"name\": \"B\"}]}", 3),
            ("{\"brands\": [\n{\"name\": \"A\u{01}\"}]}", 2),
            ("{\"brands\": [{\"name\": 01}]}", 1),
            ("{\"brands\": [{\"name\": \"A\"}]", 1),
        ])
    func malformed(json: String, line: Int) {
        let error = failure(json, record: "brands.*")
        #expect(error?.message.contains("not valid JSON") == true)
        #expect(error?.line == line)
    }

    @Test("invalid UTF-8 in a string is an error with the line")
    func invalidUTF8() throws {
        var data = Data("{\"brands\": [\n{\"name\": \"".utf8)
        data.append(contentsOf: [0xC3, 0x28])
        data.append(contentsOf: Data("\"}]}".utf8))
        let error = ImportHarness.failure(files: [
            "data/d.json": data,
            "importers/d.toml": Data(
                ImportHarness.definition(file: "d.json", format: "type = \"json\"\nrecord = \"brands.*\"", emits: Self.brandEmit)
                    .utf8),
        ])
        #expect(error?.message == "invalid UTF-8")
        #expect(error?.line == 2)
    }

    @Test("a second document in a json file points to jsonl")
    func twoDocuments() {
        let error = failure("{\"brands\": []}\n{\"brands\": []}", record: "brands.*")
        #expect(error?.message.contains("jsonl") == true)
    }

    @Test("JSONL with a record path inside each line, @key and ../ fields")
    func jsonlRecordPath() throws {
        let jsonl = """
            {"company": "Strauss Group", "brands": {"b1": {"name": "Sabra"}, "b2": {"name": "Elite"}}}

            {"company": "PepsiCo", "brands": {"b3": {"name": "SodaStream"}}}
            """
        let h = try build(
            jsonl, record: "brands.*", type: "jsonl",
            emits: """
                [[emit]]
                into = "brand"
                [emit.fields]
                name = "name"
                aliases = "@key"
                note = "../company"
                """)
        #expect(
            try h.rows("SELECT name, note FROM entity ORDER BY id") == [
                ["Sabra", "Strauss Group"], ["Elite", "Strauss Group"], ["SodaStream", "PepsiCo"],
            ])
        #expect(try h.rows("SELECT count(*) FROM alias WHERE name IN ('b1', 'b2', 'b3')") == [["3"]])
    }

    @Test("'../' beyond the enclosing objects is an error before any record")
    func parentTooHigh() {
        let error = failure(
            #"{"brands": [{"name": "A"}]}"#, record: "brands.*",
            emits: """
                [[emit]]
                into = "brand"
                [emit.fields]
                name = "../../name"
                """)
        #expect(error?.message.contains("cannot go higher") == true)
    }
}
