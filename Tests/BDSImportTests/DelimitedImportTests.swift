import BDSCore
import BDSImport
import Foundation
import Testing

@Suite("CSV and TSV sources by definition alone")
struct DelimitedImportTests {
    @Test("a community brand list as CSV: multi-line quoted Markdown, ', ' lists, avoid-only listings, BOM and CRLF")
    func communityCSV() throws {
        let h = try ImportHarness.build(fixture: "community-csv")
        let brands = try h.rows("SELECT name, note FROM entity ORDER BY name")
        #expect(brands.map { $0[0] } == ["Cedar's", "PepsiCo", "Sabra", "SodaStream", "Strauss Group"])
        let sabra = brands.first { $0[0] == "Sabra" }?[1] ?? nil
        #expect(
            sabra
                == "Hummus brand. - a joint venture of Strauss Group and PepsiCo - sold in the US and Canada as \"Sabra Classic\""
        )

        let listings = try h.rows(
            """
            SELECT e.name, l.category, l.reasons FROM listing l JOIN entity e ON e.id = l.entity_id ORDER BY e.name
            """)
        #expect(listings.map { $0[0] } == ["Sabra", "SodaStream", "Strauss Group"])
        #expect(listings.allSatisfy { $0[1] == "consumer-boycott" })
        #expect(listings[0][2]?.contains("supplies the Israeli army") == true)
        #expect(listings[0][2]?.contains("owned by Strauss Group") == true)

        let ownership = try h.rows(
            """
            SELECT a.name, b.name FROM ownership o JOIN entity a ON a.id = o.owned_id JOIN entity b ON b.id = o.owner_id ORDER BY a.name, b.name
            """)
        #expect(ownership == [["Sabra", "PepsiCo"], ["Sabra", "Strauss Group"], ["SodaStream", "PepsiCo"]])
    }

    @Test("the Open Food Facts TSV shape: 210 columns, literal quotes kept whole")
    func openFoodFactsTSV() throws {
        let h = try ImportHarness.build(fixture: "off-tsv")
        let products = try h.rows(
            """
            SELECT p.gtin, p.name, e.name FROM product p LEFT JOIN entity e ON e.id = p.brand_id ORDER BY p.gtin
            """)
        #expect(
            products == [
                ["7402700194", "12\" \"Sub\" Rolls", "SodaStream"],
                ["7290000066318", "Classic Hummus", "Sabra"],
                ["7290001234563", "Coconut Tree Brand, Vegetarian \"Bo Kho\" Seasoning", "\"Coconut Tree\""],
            ])
        let ownership = try h.rows(
            """
            SELECT a.name, b.name FROM ownership o JOIN entity a ON a.id = o.owned_id JOIN entity b ON b.id = o.owner_id ORDER BY a.name, b.name
            """)
        #expect(ownership == [["Sabra", "PepsiCo"], ["Sabra", "Strauss Group"], ["SodaStream", "PepsiCo"]])
    }

    static let companyEmit = "[[emit]]\ninto = \"company\"\n[emit.fields]\nname = \"name\"\ncountry = \"country\""

    func failure(_ csv: String, emits: String = companyEmit) -> ImportError? {
        ImportHarness.failure(files: [
            "data/c.csv": csv,
            "importers/c.toml": ImportHarness.definition(file: "c.csv", format: "type = \"csv\"", emits: emits),
        ])
    }

    @Test("an unbalanced quote names the line where the record starts")
    func unbalancedQuote() {
        let error = failure("name,country\nAhava,IL\n\"Carrefour,FR\nPuma,DE\n")
        #expect(error?.line == 3)
        #expect(error?.message.contains("unbalanced") == true)
    }

    @Test("a mapped column missing from the header fails before any row, naming the column")
    func missingColumn() throws {
        let error = failure("name,land\nAhava,IL\n")
        #expect(error?.line == 1)
        #expect(error?.value == "country")
        #expect(error?.field == "emit[1].fields.country")
        // Where the definition asks for it, as for JSON and XML paths.
        #expect(
            error?.message.range(of: #"; asked for by c\.toml, line \d+$"#, options: .regularExpression) != nil,
            "\(String(describing: error))")
    }

    @Test("a header naming a column twice is an error")
    func duplicateHeader() {
        let error = failure("name,country,name\nAhava,IL,x\n")
        #expect(error?.field == "name")
        #expect(error?.message.contains("twice") == true)
    }

    @Test("a UTF-8 byte-order mark does not become part of the first column's name")
    func byteOrderMark() throws {
        let h = try ImportHarness.build(files: [
            "data/c.csv": "\u{FEFF}name,country\nAhava,IL\n",
            "importers/c.toml": ImportHarness.definition(file: "c.csv", format: "type = \"csv\"", emits: Self.companyEmit),
        ])
        #expect(try h.rows("SELECT name, country FROM entity") == [["Ahava", "IL"]])
    }

    @Test("invalid UTF-8 is an error with the line")
    func invalidUTF8() {
        var data = Data("name,country\nAhava,IL\nCarre".utf8)
        data.append(contentsOf: [0xFF, 0xFE])
        data.append(contentsOf: Data("four,FR\n".utf8))
        let error = ImportHarness.failure(files: [
            "data/c.csv": data,
            "importers/c.toml": Data(
                ImportHarness.definition(file: "c.csv", format: "type = \"csv\"", emits: Self.companyEmit).utf8),
        ])
        #expect(error?.line == 3)
        #expect(error?.message == "invalid UTF-8")
    }

    @Test("when = { column, in } keeps an emit to the listed values")
    func whenIn() throws {
        let h = try ImportHarness.build(files: [
            "data/c.csv": "name,status\nA,avoid\nB,neutral\nC,boycott\n",
            "importers/c.toml": ImportHarness.definition(
                file: "c.csv", format: "type = \"csv\"",
                emits: """
                    [[emit]]
                    into = "company"
                    when = { column = "status", in = ["avoid", "boycott"] }
                    [emit.fields]
                    name = "name"
                    """),
        ])
        #expect(try h.rows("SELECT name FROM entity ORDER BY name") == [["A"], ["C"]])
    }
}
