import Testing
@testable import BDSCore

@Suite("Reading what a scanner or a phone sends")
struct ScannedInputTests {
    struct Case: Sendable, CustomStringConvertible {
        let input: String
        let form: CodeReading.Form
        let gtin: String
        var symbology: String? = nil
        /// AI → value of the elements other than the GTIN.
        var also: [String: String] = [:]
        var text: String? = nil
        var description: String { input.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 ? String($0) : "U+\(String($0.value, radix: 16))" }.joined() }
    }

    static let listed = "00040822011143"

    static let codes: [Case] = [
        // GS1 Digital Link, on GS1's resolver and on a brand's own domain
        Case(input: "https://id.gs1.org/01/00040822011143", form: .digitalLink, gtin: listed,
             text: "GS1 Digital Link → GTIN 00040822011143"),
        Case(input: "https://id.gs1.org/01/00040822011143/10/LOT", form: .digitalLink, gtin: listed, also: ["10": "LOT"]),
        Case(input: "https://id.gs1.org/01/00040822011143?17=271231", form: .digitalLink, gtin: listed, also: ["17": "271231"]),
        Case(input: "https://id.gs1.org/01/00040822011143/10/ABC?17=271231", form: .digitalLink, gtin: listed,
             also: ["10": "ABC", "17": "271231"], text: "GS1 Digital Link → GTIN 00040822011143, lot ABC, expiry 2027-12-31"),
        Case(input: "https://brand.example/foo/01/09506000134352", form: .digitalLink, gtin: "09506000134352"),
        Case(input: "https://brand.example/p/gtin/00040822011143/lot/A%2F1/ser/77", form: .digitalLink, gtin: listed,
             also: ["10": "A/1", "21": "77"]),
        Case(input: "HTTP://ID.GS1.ORG/01/00040822011143/22/2A/21/X9?linkType=gs1:pip&3103=000500", form: .digitalLink,
             gtin: listed, also: ["22": "2A", "21": "X9", "3103": "000500"]),
        Case(input: "https://id.gs1.org/01/0040822011143", form: .digitalLink, gtin: listed),
        Case(input: "]Q1https://id.gs1.org/01/00040822011143\r\n", form: .digitalLink, gtin: listed, symbology: "]Q1"),
        // GS1 element strings: parentheses, bare, GS separators, symbology identifiers
        Case(input: "(01)00040822011143(17)271231(10)LOT", form: .elementString, gtin: listed,
             also: ["17": "271231", "10": "LOT"], text: "GS1 element string → GTIN 00040822011143, expiry 2027-12-31, lot LOT"),
        Case(input: "(01) 00040822011143 (17) 271231", form: .elementString, gtin: listed, also: ["17": "271231"]),
        Case(input: "0100040822011143", form: .elementString, gtin: listed),
        Case(input: "010004082201114317271231", form: .elementString, gtin: listed, also: ["17": "271231"]),
        Case(input: "010004082201114310AB-1\u{1D}17271200", form: .elementString, gtin: listed,
             also: ["10": "AB-1", "17": "271200"], text: "GS1 element string → GTIN 00040822011143, lot AB-1, expiry 2027-12"),
        Case(input: "0100040822011143\u{1D}", form: .elementString, gtin: listed),
        Case(input: "]C10100040822011143", form: .elementString, gtin: listed, symbology: "]C1"),
        Case(input: "]d201000408220111431727123110LOT\u{1D}21S1", form: .elementString, gtin: listed, symbology: "]d2",
             also: ["17": "271231", "10": "LOT", "21": "S1"]),
        Case(input: "]Q30100040822011143", form: .elementString, gtin: listed, symbology: "]Q3"),
        Case(input: "]e00100040822011143", form: .elementString, gtin: listed, symbology: "]e0"),
        Case(input: "(02)00040822011143(37)12", form: .elementString, gtin: listed, also: ["37": "12"]),
        // Plain digits, however they arrive
        Case(input: "]E00040822011143", form: .digits, gtin: "0040822011143", symbology: "]E0",
             text: "EAN/UPC (]E0), digits → 0040822011143"),
        Case(input: "٠٠٤٠٨٢٢٠١١١٤٣", form: .digits, gtin: "0040822011143"),  // Arabic-Indic
        Case(input: "۰۰۴۰۸۲۲۰۱۱۱۴۳", form: .digits, gtin: "0040822011143"),  // Persian
        Case(input: "００４０８２２０１１１４３", form: .digits, gtin: "0040822011143"),  // full-width
        Case(input: "\u{200E}0040822011143\u{200F}", form: .digits, gtin: "0040822011143"),  // LRM, RLM
        Case(input: "0040\u{00A0}822011143", form: .digits, gtin: "0040822011143"),  // no-break space
        Case(input: "0040\u{2011}822\u{2011}011143", form: .digits, gtin: "0040822011143"),  // non-breaking hyphen
        Case(input: "0040\u{2013}822\u{2014}011143", form: .digits, gtin: "0040822011143"),  // en and em dash
        Case(input: "0040\u{200B}822011143", form: .digits, gtin: "0040822011143"),  // zero-width space
        Case(input: "0040822011143\u{1D}", form: .digits, gtin: "0040822011143"),
        Case(input: "0040822011143\r", form: .digits, gtin: "0040822011143"),
        Case(input: "0040822011143\u{0}", form: .digits, gtin: "0040822011143"),
        Case(input: " 0040-822 011143 ", form: .digits, gtin: "0040822011143"),
    ]

    @Test("Every form of a code gives its GTIN and what else it says", arguments: codes)
    func reads(_ c: Case) {
        guard case .code(let reading) = ScannedInput(c.input) else {
            Issue.record("read as a name")
            return
        }
        #expect(reading.problem == nil, "\(reading.text)")
        #expect(reading.form == c.form)
        #expect(reading.gtin == c.gtin)
        #expect(reading.symbology == c.symbology)
        let also = reading.elements.filter { !["01", "02"].contains($0.ai) }
        #expect(Dictionary(uniqueKeysWithValues: also.map { ($0.ai, $0.value) }) == c.also)
        if let text = c.text { #expect(reading.text == text) }
        switch reading.readGTIN() {
        case .success(let gtin): if c.gtin.hasSuffix("40822011143") { #expect(gtin.value == 40_822_011_143) }
        case .failure(let problem): Issue.record("\(problem.message)")
        }
    }

    @Test("6 digits are a UPC-E sent without number system and check digit, and the reading says so")
    func sixDigitUPCE() throws {
        guard case .code(let reading) = ScannedInput("012345") else {
            Issue.record("read as a name")
            return
        }
        #expect(reading.gtin == "00123457")
        #expect(reading.note == "6 digits read as a UPC-E without its number system (0) and check digit (7)")
        #expect(reading.text == "digits → 00123457, 6 digits read as a UPC-E without its number system (0) and check digit (7)")
        guard case .success(let gtin) = reading.readGTIN() else {
            Issue.record("not a GTIN")
            return
        }
        #expect(gtin.format == .upcE)
        #expect(gtin.canonical == "001234000057")
    }

    @Test("7 digits are named as a UPC-E missing a digit")
    func sevenDigits() {
        guard case .code(let reading) = ScannedInput("0123456"), case .failure(let problem) = reading.readGTIN() else {
            Issue.record("not refused")
            return
        }
        #expect(problem.message.contains("UPC-E"))
    }

    @Test("]E4 says EAN-8: its digits are not read as a UPC-E")
    func ean8Symbology() {
        guard case .code(let reading) = ScannedInput("]E401234565"), case .success(let gtin) = reading.readGTIN() else {
            Issue.record("not read")
            return
        }
        #expect(gtin.format == .ean8)
        guard case .code(let plain) = ScannedInput("01234565"), case .success(let upcE) = plain.readGTIN() else {
            Issue.record("not read")
            return
        }
        #expect(upcE.format == .upcE)
    }

    @Test("Names stay names", arguments: [
        "sabra", "Coca-Cola", "(RED)", "7up", "24/7", "3M", "Hewlett Packard", "https://example.org/about",
        "https://id.gs1.org/", "Ben & Jerry's", "\u{200E}שטראוס",
    ])
    func names(_ input: String) {
        guard case .name = ScannedInput(input) else {
            Issue.record("\(input) read as a code")
            return
        }
    }

    @Test("Broken GS1 codes are named with what is wrong", arguments: [
        ("(01)00040822011143(17)2712", "AI (17) expiry needs 6 digits, not 4"),
        ("(01)00040822011143(17)271331", "AI (17) expiry 271331 is not a date"),
        ("(01)00040822011143(17)270230", "is not a date"),
        ("(01)00040822011143(7777)X", "(7777) is not a GS1 Application Identifier"),
        ("(01)0004082201114", "AI (01) GTIN needs 14 digits, not 13"),
        ("(01)00040822011143(10)ABCDEFGHIJKLMNOPQRSTU", "holds at most 20 characters, not 21"),
        ("(01)00040822011143(10)A B\u{00E9}", "which GS1 codes cannot carry"),
        ("01000408220111437777", "does not start with a GS1 Application Identifier"),
        ("(00)123456789012345675", "no GTIN (AI 01 or 02): not a product code"),
        ("https://id.gs1.org/01/00040822011143/99/x", "is not a key qualifier"),
        ("https://id.gs1.org/01/00040822011143/21/S/10/L", "is not a key qualifier"),
        ("https://id.gs1.org/01/00040822011143/10", "no value after it"),
        ("https://id.gs1.org/01/00040822011143?17=2712", "AI (17) expiry needs 6 digits"),
        ("https://id.gs1.org/01/00040822011143?7777=1", "not a GS1 Application Identifier"),
        ("https://id.gs1.org/01/1234", "AI (01) GTIN needs 14 digits, not 4"),
        ("]d2hello", "does not start with a GS1 Application Identifier"),
        ("]E0hello", "neither digits nor a GS1 code"),
    ])
    func broken(_ input: String, _ message: String) {
        guard case .code(let reading) = ScannedInput(input) else {
            Issue.record("\(input) read as a name")
            return
        }
        guard case .failure(let problem) = reading.readGTIN() else {
            Issue.record("\(input) gave a GTIN")
            return
        }
        #expect(problem.message.contains(message), "\(problem.message)")
    }

    @Test("A GTIN with a wrong check digit inside a GS1 code is reported as one")
    func checkDigitInsideElementString() {
        guard case .code(let reading) = ScannedInput("(01)00040822011144"),
              case .failure(let problem) = reading.readGTIN() else {
            Issue.record("not refused")
            return
        }
        #expect(problem.expectedCheckDigit == 3)
    }

    @Test("Dates take the century the General Specifications give", arguments: [
        ("271231", 2026, "2027-12-31"), ("991231", 2026, "1999-12-31"), ("750101", 2026, "2075-01-01"),
        ("770101", 2026, "1977-01-01"), ("280229", 2026, "2028-02-29"), ("271200", 2026, "2027-12"),
    ])
    func dates(_ text: String, _ year: Int, _ iso: String) throws {
        #expect(try #require(GS1Date(Substring(text), currentYear: year)).iso == iso)
    }

    @Test("Invalid dates are refused", arguments: ["271232", "270229", "271301", "270001", "2712"])
    func badDates(_ text: String) {
        #expect(GS1Date(Substring(text), currentYear: 2026) == nil)
    }
}
