import Testing
@testable import BDSCore

@Suite("GTIN parsing and validation")
struct GTINTests {
    struct Valid: Sendable, CustomStringConvertible {
        let input: String
        let format: GTIN.Format
        let value: UInt64
        let canonical: String
        var description: String { input }
    }

    static let valid: [Valid] = [
        Valid(input: "4006381333931", format: .ean13, value: 4_006_381_333_931, canonical: "4006381333931"),
        Valid(input: "5901234123457", format: .ean13, value: 5_901_234_123_457, canonical: "5901234123457"),
        Valid(input: "7290000000008", format: .ean13, value: 7_290_000_000_008, canonical: "7290000000008"),
        Valid(input: "9780306406157", format: .ean13, value: 9_780_306_406_157, canonical: "9780306406157"),
        Valid(input: "96385074", format: .ean8, value: 96_385_074, canonical: "96385074"),
        Valid(input: "40170725", format: .ean8, value: 40_170_725, canonical: "40170725"),
        // Starts with 0 but is not a valid UPC-E (its UPC-E check digit would be 3), so it is an EAN-8.
        Valid(input: "01234541", format: .ean8, value: 1_234_541, canonical: "01234541"),
        Valid(input: "036000291452", format: .upcA, value: 36_000_291_452, canonical: "036000291452"),
        Valid(input: "012345678905", format: .upcA, value: 12_345_678_905, canonical: "012345678905"),
        Valid(input: "212345678909", format: .upcA, value: 212_345_678_909, canonical: "212345678909"),
        Valid(input: "01234565", format: .upcE, value: 12_345_000_065, canonical: "012345000065"),
        Valid(input: "04252614", format: .upcE, value: 42_100_005_264, canonical: "042100005264"),
        // Valid both as EAN-8 and as a number-system-1 UPC-E: UPC-E exists only for number system 0.
        Valid(input: "12345670", format: .ean8, value: 12_345_670, canonical: "12345670"),
        Valid(input: "11501299", format: .ean8, value: 11_501_299, canonical: "11501299"),
        Valid(input: "10012345678902", format: .gtin14, value: 10_012_345_678_902, canonical: "10012345678902"),
        Valid(input: "00012345678905", format: .gtin14, value: 12_345_678_905, canonical: "00012345678905"),
    ]

    @Test("valid codes are recognised", arguments: valid)
    func validCodes(_ c: Valid) throws {
        let gtin = try GTIN(parsing: c.input)
        #expect(gtin.format == c.format)
        #expect(gtin.value == c.value)
        #expect(gtin.canonical == c.canonical)
        #expect(gtin.description == c.canonical)
        #expect(gtin.gtin14 == GTIN.digits(c.value, width: 14))
        #expect(gtin.gtin14.count == 14)
        #expect(gtin.upcE == (c.format == .upcE ? c.input : nil))
    }

    @Test("UPC-E expands by its sixth digit", arguments: [
        ("01234505", "012000003455"),  // d6 = 0: d1 d2 d6 0000 d3 d4 d5
        ("01234514", "012100003454"),  // d6 = 1
        ("01234523", "012200003453"),  // d6 = 2
        ("01234531", "012300000451"),  // d6 = 3: d1 d2 d3 00000 d4 d5
        ("01234543", "012340000053"),  // d6 = 4: d1 d2 d3 d4 00000 d5
        ("01234558", "012345000058"),  // d6 = 5: d1 d2 d3 d4 d5 0000 d6
        ("01234565", "012345000065"),
        ("01234572", "012345000072"),
        ("01234589", "012345000089"),
        ("01234596", "012345000096"),
    ])
    func upcEExpansion(_ upcE: String, _ upcA: String) throws {
        let gtin = try GTIN(parsing: upcE)
        #expect(gtin.format == .upcE)
        #expect(gtin.canonical == upcA)
        #expect(gtin.upcE == upcE)
        #expect(try gtin == GTIN(parsing: upcA))
        #expect(try GTIN(parsingUPCE: upcE).value == gtin.value)
    }

    @Test("12-, 13- and 14-digit forms of one item meet at one value", arguments: [
        (["036000291452", "0036000291452", "00036000291452"], 36_000_291_452),
        (["034000470693", "0034000470693", "00034000470693"], 34_000_470_693),
        (["4006381333931", "04006381333931"], 4_006_381_333_931),
        (["96385074", "0000096385074", "00000096385074"], 96_385_074),
        (["01234565", "012345000065", "0012345000065", "00012345000065"], 12_345_000_065),
    ] as [([String], UInt64)])
    func formsMeet(_ inputs: [String], _ value: UInt64) throws {
        let gtins = try inputs.map { try GTIN(parsing: $0) }
        #expect(gtins.allSatisfy { $0.value == value })
        #expect(Set(gtins).count == 1)
        #expect(Set(gtins.map(\.gtin14)).count == 1)
    }

    @Test("a 13-digit code starting with 0 stays EAN-13 but shares the UPC-A's value and GTIN-13")
    func zeroLedEAN13() throws {
        let ean = try GTIN(parsing: "0036000291452")
        let upc = try GTIN(parsing: "036000291452")
        #expect(ean.format == .ean13)
        #expect(upc.format == .upcA)
        #expect(ean.canonical == "0036000291452")
        #expect(ean.gtin13 == "0036000291452")
        #expect(upc.gtin13 == ean.gtin13)
        #expect(ean == upc)
    }

    @Test("separators, surrounding whitespace and other scripts' digits are tolerated", arguments: [
        " 4006381333931 ", "4 006381 333931", "400-6381-333931", "\t4006381333931\r\n",
        "4006381 33393-1", "4\u{00A0}006381\u{00A0}333931", "4\u{2013}006381\u{2013}333931",
        "\u{200E}4006381333931\u{200E}", "\u{FEFF}4006381333931", "٤٠٠٦٣٨١٣٣٣٩٣١", "４００６３８１３３３９３１",
    ])
    func separators(_ input: String) throws {
        let gtin = try GTIN(parsing: input)
        #expect(gtin.value == 4_006_381_333_931)
        #expect(gtin.format == .ean13)
    }

    @Test("invalid input gives the specific error", arguments: [
        ("", GTINError.empty),
        ("   ", .empty),
        (" - - ", .empty),
        ("5", .wrongLength(1)),
        ("12345", .wrongLength(5)),
        ("1234567", .wrongLength(7)),
        ("123456789012345", .wrongLength(15)),
        ("1234567890123456789012345", .wrongLength(25)),
        ("4006381333937", .wrongCheckDigit(expected: 1, found: 7, corrected: "4006381333931")),
        ("4006 3813 3393 0", .wrongCheckDigit(expected: 1, found: 0, corrected: "4006381333931")),
        ("036000291453", .wrongCheckDigit(expected: 2, found: 3, corrected: "036000291452")),
        ("0036000291459", .wrongCheckDigit(expected: 2, found: 9, corrected: "0036000291452")),
        ("36000291450", .wrongLength(11)),
        ("36000291452", .wrongLength(11)),
        ("6094212601", .wrongLength(10)),
        ("0306406152", .wrongLength(10)),  // a valid ISBN-10 is not a GTIN
        ("123456784", .wrongLength(9)),
        ("012345", .wrongLength(6)),
        ("0123456", .wrongLength(7)),
        // Neither a valid UPC-E nor a valid EAN-8, starting 0: the UPC-E fix is offered (the EAN-8 one is in-store).
        ("04252615", .wrongCheckDigit(expected: 4, found: 5, corrected: "04252614")),
        ("10012345678900", .wrongCheckDigit(expected: 2, found: 0, corrected: "10012345678902")),
        ("96385071", .wrongCheckDigit(expected: 4, found: 1, corrected: "96385074")),
        // Neither a valid UPC-E nor a valid EAN-8: the EAN-8 check digit is reported.
        ("01234567", .wrongCheckDigit(expected: 5, found: 7, corrected: "01234565")),
        ("01234540", .wrongCheckDigit(expected: 3, found: 0, corrected: "01234543")),
        ("4006381A33931", .invalidCharacter("A", position: 8)),
        ("  40O6381333931", .invalidCharacter("O", position: 5)),
        ("4,006,381,333,931", .invalidCharacter(",", position: 2)),
        ("🍫4006381333931", .invalidCharacter("🍫", position: 1)),
        ("é4006381333931x", .invalidCharacter("é", position: 1)),
        ("4006381333931.", .invalidCharacter(".", position: 14)),
        ("abc", .invalidCharacter("a", position: 1)),
    ] as [(String, GTINError)])
    func errors(_ input: String, _ expected: GTINError) {
        #expect(throws: expected) { try GTIN(parsing: input) }
    }

    @Test("parsing as UPC-E only", arguments: [
        ("01234567", GTINError.wrongCheckDigit(expected: 5, found: 7, corrected: "01234565")),
        ("01234540", .wrongCheckDigit(expected: 3, found: 0, corrected: "01234543")),
        ("51234565", .invalidUPCE("a UPC-E code starts with 0 or 1, not 5")),
        ("0123456", .invalidUPCE("a UPC-E code has 8 digits; this has 7")),
        ("", .empty),
        ("0123 45x", .invalidCharacter("x", position: 8)),
    ] as [(String, GTINError)])
    func upcEOnlyErrors(_ input: String, _ expected: GTINError) {
        #expect(throws: expected) { try GTIN(parsingUPCE: input) }
    }

    @Test("error descriptions tell the shopper what to do", arguments: [
        (GTINError.wrongCheckDigit(expected: 1, found: 7, corrected: "4006381333931"),
         "check the code: two neighbouring digits may be swapped or one mistyped; "
            + "one possibility is that the check digit should be 1, not 7 (4006381333931)"),
        (GTINError.wrongCheckDigit(expected: 1, found: 2, corrected: "4006381333931"),
         "check digit should be 1, not 2: probably a mistyped code (did you mean 4006381333931?)"),
        (.wrongLength(5), "a barcode (GTIN) has 8, 12, 13 or 14 digits; this has 5"),
        (.invalidCharacter("O", position: 3), "a barcode has only digits; \u{201C}O\u{201D} at position 3 is not one"),
        (.invalidCharacter("\u{7}", position: 2), "a barcode has only digits; U+0007 at position 2 is not one"),
        (.empty, "no digits entered: type the number printed under the barcode"),
        (.invalidUPCE("a UPC-E code starts with 0 or 1, not 5"),
         "not a valid UPC-E code: a UPC-E code starts with 0 or 1, not 5"),
    ] as [(GTINError, String)])
    func descriptions(_ error: GTINError, _ text: String) {
        #expect(error.description == text)
    }

    @Test("check digit weights 3, 1, 3, … from the right", arguments: [
        ([4, 0, 0, 6, 3, 8, 1, 3, 3, 3, 9, 3], 1),  // barcodes.md's worked example
        ([0, 3, 6, 0, 0, 0, 2, 9, 1, 4, 5], 2),
        ([9, 6, 3, 8, 5, 0, 7], 4),
        ([1, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0], 2),
        ([0, 0, 0, 4, 0, 0, 6, 3, 8, 1, 3, 3, 3, 9, 3], 1),  // leading zeros change nothing
        ([], 0),
    ] as [([UInt8], UInt8)])
    func checkDigit(_ data: [UInt8], _ expected: UInt8) {
        #expect(GTIN.checkDigit(for: data) == expected)
        #expect(GTIN.checkDigit(for: data[...]) == expected)
        let number = data.reduce(UInt64(0)) { $0 * 10 + UInt64($1) }
        #expect(GTIN.checkDigit(ofNumber: number) == expected)
    }

    @Test("storage keys restore a GTIN with a format derived from the digit count", arguments: [
        (UInt64(4_006_381_333_931), GTIN.Format.ean13, "4006381333931"),
        (36_000_291_452, .upcA, "036000291452"),
        (12_345_000_065, .upcA, "012345000065"),
        (212_345_678_909, .upcA, "212345678909"),
        (96_385_074, .ean8, "96385074"),
        (1_234_541, .ean8, "01234541"),
        (10_012_345_678_902, .gtin14, "10012345678902"),
        (99_999_999_999_997, .gtin14, "99999999999997"),
    ])
    func storageKey(_ key: UInt64, _ format: GTIN.Format, _ canonical: String) throws {
        let gtin = try #require(GTIN(storageKey: key))
        #expect(gtin.format == format)
        #expect(gtin.canonical == canonical)
        #expect(gtin.value == key)
        #expect(try GTIN(parsing: canonical) == gtin)
    }

    @Test("bad storage keys are rejected", arguments: [
        UInt64(4_006_381_333_937), 36_000_291_453, 96_385_071, 100_000_000_000_000, 123_456_789_012_345_678, .max,
    ])
    func badStorageKey(_ key: UInt64) {
        #expect(GTIN(storageKey: key) == nil)
    }

    @Test("parsed values round-trip through the storage key", arguments: valid)
    func roundTrip(_ c: Valid) throws {
        let parsed = try GTIN(parsing: c.input)
        let restored = try #require(GTIN(storageKey: parsed.value))
        #expect(restored == parsed)
        #expect(restored.gtin14 == parsed.gtin14)
    }

    @Test("GTIN-13 and indicator of GTIN-14s")
    func gtin14Forms() throws {
        let case1 = try GTIN(parsing: "10012345678902")
        #expect(case1.gtin13 == nil)
        #expect(case1.indicator == 1)
        let case0 = try GTIN(parsing: "00012345678905")
        #expect(case0.gtin13 == "0012345678905")
        #expect(case0.indicator == 0)
        #expect(try GTIN(parsing: "96385074").gtin13 == "0000096385074")
        #expect(try GTIN(parsing: "96385074").gtin14 == "00000096385074")
    }

    @Test("ordering follows the numeric value")
    func ordering() throws {
        let codes = try ["4006381333931", "96385074", "036000291452", "10012345678902"].map { try GTIN(parsing: $0) }
        #expect(codes.sorted().map(\.canonical) == ["96385074", "036000291452", "4006381333931", "10012345678902"])
        #expect(try GTIN(parsing: "036000291452") < GTIN(parsing: "4006381333931"))
    }

    @Test("format names are the usual ones")
    func formatNames() {
        #expect(GTIN.Format.allNames == ["EAN-8", "UPC-E", "UPC-A", "EAN-13", "GTIN-14"])
    }
}

extension GTIN.Format {
    fileprivate static var allNames: [String] {
        [GTIN.Format.ean8, .upcE, .upcA, .ean13, .gtin14].map(\.rawValue)
    }
}
