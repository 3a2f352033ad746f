import BDSCore
import BDSImport
import BDSStore
import Foundation
import Testing

@Suite("XML sources by definition alone")
struct XMLImportTests {
    @Test("GS1's GCP length list (real element names) becomes company-prefix lengths")
    func gcpLengthList() throws {
        let h = try ImportHarness.build(fixture: "gcp")
        let rows = try h.rows("SELECT prefix, length FROM gcp_length ORDER BY prefix")
        #expect(rows.count == 17)
        #expect(rows.contains(["72900", "10"]))
        #expect(rows.contains(["72901", "9"]))
        #expect(rows.contains(["690", "7"]))
        #expect(rows.contains(["999", "0"]))
        #expect(rows.contains(["00000490", "12"]))
        let records = try h.rows("SELECT records FROM source WHERE id = 'gs1-gcp-lengths'")
        #expect(records == [["17"]])
    }

    @Test("the maintainers' listings format: enclosing attributes, repeated reasons, ended listings")
    func maintainersListings() throws {
        let h = try ImportHarness.build(fixture: "listings-xml")
        let rows = try h.rows(
            """
            SELECT e.name, e.kind, l.campaign, l.category, l.reasons, l.source_url, l.retrieved, l.start_date, l.end_date, l.end_reason
            FROM listing l JOIN entity e ON e.id = l.entity_id ORDER BY e.name
            """)
        #expect(rows.count == 3)
        #expect(rows[0][0...1] == ["Booking.com", "brand"])
        #expect(rows[0][3] == "pressure")
        #expect(rows[0][4]?.contains("lists rentals in <settlements>") == true)
        #expect(rows[1][0...1] == ["Carrefour", "company"])
        #expect(rows[1][2...3] == ["Example Campaign", "consumer-boycott"])
        #expect(rows[1][4]?.contains("sponsors & supplies army units") == true)
        #expect(rows[1][4]?.contains("franchise partner") == true)
        #expect(rows[1][5...7] == ["https://example.org/our-list#carrefour", "2026-11-01", "2025-03"])
        #expect(rows[2][0] == "Puma")
        #expect(rows[2][8...9] == ["2025-06-30", "left the campaign's list"])

        let verdict = try h.store().verdict(for: "Carrefour")
        #expect(verdict.listings.count == 1)
        #expect(try h.store().verdict(for: "Puma").listings.isEmpty)
    }

    @Test("a record's line is where its element starts; errors name it")
    func recordLineInErrors() throws {
        let xml = """
            <list>
              <item code="1"/>

              <item code="x"/>
            </list>
            """
        let error = ImportHarness.failure(files: [
            "data/l.xml": xml,
            "importers/l.toml": ImportHarness.definition(
                file: "l.xml", format: "type = \"xml\"\nrecord = \"list/item\"",
                emits: "[[emit]]\ninto = \"gcp-length\"\n[emit.fields]\nprefix = { value = \"729\" }\nlength = \"@code\""
            ),
        ])
        #expect(error?.line == 4)
        #expect(error?.value == "x")
    }

    @Test("child text, nested attributes, * steps and repeated elements")
    func fieldPaths() throws {
        let xml = """
            <?xml version="1.0"?>
            <export><companies>
              <company id="c1"><name> Strauss
                Group </name><owner ref="x"><name>PepsiCo</name></owner><alias>Strauss</alias><alias>Elite</alias></company>
              <company id="c2"><name>Tnuva</name></company>
            </companies></export>
            """
        let h = try ImportHarness.build(files: [
            "data/c.xml": xml,
            "importers/c.toml": ImportHarness.definition(
                file: "c.xml", format: "type = \"xml\"\nrecord = \"export/*/company\"",
                emits: """
                    [[emit]]
                    into = "company"
                    [emit.fields]
                    name = { column = "name", transform = ["squeeze"] }
                    aliases = "alias"
                    note = "owner/name"
                    """
            ),
        ])
        let rows = try h.rows("SELECT name, note FROM entity ORDER BY id")
        #expect(rows == [["Strauss Group", "PepsiCo"], ["Tnuva", nil]])
        #expect(try h.rows("SELECT count(*) FROM alias").first == ["4"])
    }

    @Test("a record path that matches nothing names the root element")
    func wrongRecordPath() {
        let error = ImportHarness.failure(files: [
            "data/g.xml": try! String(
                contentsOfFile: ImportHarness.fixture("gcp") + "/data/gcp-prefix-format-list.xml", encoding: .utf8),
            "importers/g.toml": ImportHarness.definition(
                file: "g.xml", format: "type = \"xml\"\nrecord = \"GCPList/entry\"",
                emits: "[[emit]]\ninto = \"gcp-length\"\n[emit.fields]\nprefix = \"@prefix\"\nlength = \"@gcpLength\""
            ),
        ])
        #expect(error?.message.contains("<GCPPrefixFormatList>") == true)
    }

    @Test("malformed XML is an error with its line")
    func malformed() {
        let error = ImportHarness.failure(files: [
            "data/m.xml": "<a>\n<entry prefix=\"1\" gcpLength=\"7\">\n</a>\n",
            "importers/m.toml": ImportHarness.definition(
                file: "m.xml", format: "type = \"xml\"\nrecord = \"a/entry\"",
                emits: "[[emit]]\ninto = \"gcp-length\"\n[emit.fields]\nprefix = \"@prefix\"\nlength = \"@gcpLength\""
            ),
        ])
        #expect(error?.message.contains("not well-formed XML") == true)
        #expect(error?.line == 3)
    }
}
