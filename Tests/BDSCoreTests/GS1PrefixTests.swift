import Testing

@testable import BDSCore

/// Rows copied verbatim from the reference gs1-prefixes.csv (a representative subset).
private let referenceCSV = """
    prefix_start,prefix_end,usage
    0000000,0000000,Used to issue Restricted Circulation Numbers within a company
    0000001,0000099,Unused to avoid collision with GTIN-8
    00001,00009,GS1 US
    0001,0009,GS1 US
    001,019,GS1 US
    020,029,Used to issue Restricted Circulation Numbers within a geographic region (MO defined)
    030,039,GS1 US
    040,049,Used to issue GS1 Restricted Circulation Numbers within a company
    050,059,GS1 US reserved for future use
    060,139,GS1 US
    200,299,Used to issue GS1 Restricted Circulation Numbers within a geographic region (MO defined)
    300,379,GS1 France
    400,440,GS1 Germany
    450,459,GS1 Japan
    489,489,"GS1 Hong Kong, China"
    500,509,GS1 UK
    590,590,GS1 Poland
    610,610,Managed by GS1 Global Office for future MO
    690,699,GS1 China
    729,729,GS1 Israel
    840,849,GS1 Spain
    870,879,GS1 Netherlands
    950,950,GS1 Global Office
    951,951,Global Office - General Manager Number
    952,952,Used for demonstrations and examples of the GS1 system
    960,961,GS1 UK - GTIN-8
    9620,9624,GS1 UK - GTIN-8
    9625,9626,GS1 Poland - GTIN-8
    9627,9629,GS1 Global Office - GTIN-8
    963,969,Global Office - GTIN-8
    977,977,Serial publications (ISSN)
    978,979,Bookland (ISBN)
    980,980,Refund receipts
    981,983,GS1 coupon identification for common currency areas
    99,99,GS1 coupon identification

    """

@Suite("GS1 prefix table")
struct GS1PrefixTests {
    static let table: GS1PrefixTable = {
        do {
            return GS1PrefixTable(ranges: try GS1PrefixTable.parseCSV(referenceCSV))
        } catch {
            Issue.record("reference subset does not parse: \(error)")
            return GS1PrefixTable(ranges: [])
        }
    }()

    static let restrictedRegion =
        "Used to issue GS1 Restricted Circulation Numbers within a geographic region (MO defined)"
    static let restrictedGTIN8 = GS1Allocation.restrictedCirculation(GS1PrefixTable.restrictedGTIN8Usage)

    @Test("the reference subset parses, quoted fields included")
    func parsesReference() throws {
        let ranges = try GS1PrefixTable.parseCSV(referenceCSV)
        #expect(ranges.count == 35)
        #expect(
            ranges.first
                == GS1PrefixRange(
                    start: "0000000", end: "0000000",
                    usage: "Used to issue Restricted Circulation Numbers within a company"))
        #expect(ranges.contains(GS1PrefixRange(start: "489", end: "489", usage: "GS1 Hong Kong, China")))
        #expect(ranges.last == GS1PrefixRange(start: "99", end: "99", usage: "GS1 coupon identification"))
    }

    @Test(
        "issuer of each code",
        arguments: [
            ("4006381333931", GS1Allocation.memberOrganisation("GS1 Germany")),
            ("5901234123457", .memberOrganisation("GS1 Poland")),
            ("7290000000008", .memberOrganisation("GS1 Israel")),
            ("8712100000003", .memberOrganisation("GS1 Netherlands")),
            ("8412345000003", .memberOrganisation("GS1 Spain")),
            ("6901234567892", .memberOrganisation("GS1 China")),
            ("036000291452", .memberOrganisation("GS1 US")),  // UPC-A → 003
            ("0036000291452", .memberOrganisation("GS1 US")),
            ("01234565", .memberOrganisation("GS1 US")),  // UPC-E → 0012345000065
            ("00001234567895", .memberOrganisation("GS1 US")),  // 4-digit row 0001–0009
            ("10012345678902", .memberOrganisation("GS1 US")),  // indicator 1 is skipped
            ("17290000000005", .memberOrganisation("GS1 Israel")),
            ("57290000000003", .memberOrganisation("GS1 Israel")),
            (
                "0201234567899",
                .restrictedCirculation(
                    "Used to issue Restricted Circulation Numbers within a geographic region (MO defined)")
            ),
            (
                "212345678909",
                .restrictedCirculation(  // US variable-weight UPC-A → 021
                    "Used to issue Restricted Circulation Numbers within a geographic region (MO defined)")
            ),
            ("2012345000001", .restrictedCirculation(restrictedRegion)),
            (
                "0412345678903",
                .restrictedCirculation(
                    "Used to issue GS1 Restricted Circulation Numbers within a company")
            ),
            ("01234541", restrictedGTIN8),  // EAN-8 starting 0
            ("20123451", restrictedGTIN8),  // EAN-8 starting 2
            ("0000001234565", restrictedGTIN8),  // a GTIN-8 written with 13 digits
            ("9771234567003", .issn),
            ("9780306406157", .isbnOrIsmn),
            ("9790260000438", .isbnOrIsmn),
            ("9801234567892", .refundReceipt),
            ("9811234567891", .coupon("GS1 coupon identification for common currency areas")),
            ("9912345678909", .coupon("GS1 coupon identification")),
            ("9521234567899", .globalOffice("Used for demonstrations and examples of the GS1 system")),
            ("9501234567891", .globalOffice("GS1 Global Office")),
            ("6101234567896", .globalOffice("Managed by GS1 Global Office for future MO")),
            ("0512345678900", .globalOffice("GS1 US reserved for future use")),
            ("1500000000004", .unassigned),
            ("5101234567897", .unassigned),
            ("9201234567890", .unassigned),
        ] as [(String, GS1Allocation)])
    func allocation(_ code: String, _ expected: GS1Allocation) throws {
        let gtin = try GTIN(parsing: code)
        #expect(Self.table.allocation(for: gtin) == expected)
    }

    @Test(
        "EAN-8s are classified by their own leading digits",
        arguments: [
            ("72901236", GS1Allocation.memberOrganisation("GS1 Israel")),
            ("40170725", .memberOrganisation("GS1 Germany")),
            ("96100004", .memberOrganisation("GS1 UK")),
            ("96201237", .memberOrganisation("GS1 UK")),
            ("96250006", .memberOrganisation("GS1 Poland")),
            ("96270004", .globalOffice("GS1 Global Office - GTIN-8")),
            ("96385074", .globalOffice("Global Office - GTIN-8")),
            // 977–999 are ISSN, ISBN, refund and coupon ranges only for 13 digits.
            ("97712343", .unassigned),
            ("97812340", .unassigned),
            ("98012343", .unassigned),
            ("99123451", .unassigned),
        ] as [(String, GS1Allocation)])
    func ean8(_ code: String, _ expected: GS1Allocation) throws {
        let gtin = try GTIN(parsing: code)
        #expect(gtin.format == .ean8)
        #expect(Self.table.allocation(for: gtin) == expected)
    }

    @Test(
        "the matching row",
        arguments: [
            ("8712100000003", "870", "879"),
            ("8412345000003", "840", "849"),
            ("7290000000008", "729", "729"),
            ("96201237", "9620", "9624"),
            ("00001234567895", "0001", "0009"),
            ("9912345678909", "99", "99"),
        ])
    func matchingRow(_ code: String, _ start: String, _ end: String) throws {
        let row = try #require(Self.table.range(for: GTIN(parsing: code)))
        #expect(row.start == start)
        #expect(row.end == end)
    }

    @Test(
        "no row for unassigned prefixes and for EAN-8s starting 0 or 2",
        arguments: [
            "1500000000004", "01234541", "20123451", "97712343",
        ])
    func noRow(_ code: String) throws {
        #expect(Self.table.range(for: try GTIN(parsing: code)) == nil)
    }

    @Test(
        "Netherlands and Spain are never reported as Israel",
        arguments: [
            "8712100000003", "8700000000001", "8790000000002", "8412345000003",
        ])
    func notIsrael(_ code: String) throws {
        let label = Self.table.allocation(for: try GTIN(parsing: code)).label
        #expect(!label.contains("Israel"))
        #expect(label.contains("Netherlands") || label.contains("Spain"))
    }

    @Test(
        "product lookup and labels",
        arguments: [
            (GS1Allocation.memberOrganisation("GS1 Israel"), true, "barcode issued by GS1 Israel"),
            (
                .restrictedCirculation("x"), false,
                "restricted-circulation code (in-store or variable-weight): identifies nothing outside one shop or region"
            ),
            (.issn, false, "magazine or newspaper (ISSN)"),
            (.isbnOrIsmn, false, "book (ISBN/ISMN)"),
            (.refundReceipt, false, "refund receipt, not a product"),
            (.coupon("GS1 coupon identification"), false, "coupon, not a product"),
            (.globalOffice("GS1 Global Office"), true, "special GS1 range: GS1 Global Office"),
            (.unassigned, true, "prefix not assigned by GS1: possibly a mistyped or unofficial code"),
        ] as [(GS1Allocation, Bool, String)])
    func labels(_ allocation: GS1Allocation, _ lookup: Bool, _ label: String) {
        #expect(allocation.isProductLookupAllowed == lookup)
        #expect(allocation.label == label)
    }

    @Test(
        "usage texts are classified by keyword",
        arguments: [
            (
                "Used to issue Restricted Circulation Numbers within a company",
                GS1Allocation.restrictedCirculation("Used to issue Restricted Circulation Numbers within a company")
            ),
            ("Serial publications (ISSN)", .issn),
            ("Bookland (ISBN)", .isbnOrIsmn),
            ("Refund receipts", .refundReceipt),
            ("GS1 coupon identification", .coupon("GS1 coupon identification")),
            ("Unused to avoid collision with GTIN-8", .globalOffice("Unused to avoid collision with GTIN-8")),
            ("Global Office - General Manager Number", .globalOffice("Global Office - General Manager Number")),
            ("Managed by GS1 Global Office for future MO", .globalOffice("Managed by GS1 Global Office for future MO")),
            ("GS1 UK - GTIN-8", .memberOrganisation("GS1 UK")),
            ("GS1 Hong Kong, China", .memberOrganisation("GS1 Hong Kong, China")),
            ("GS1 Türkiye", .memberOrganisation("GS1 Türkiye")),
            ("", .unassigned),
        ] as [(String, GS1Allocation)])
    func classify(_ usage: String, _ expected: GS1Allocation) {
        #expect(GS1Allocation(usage: usage) == expected)
    }

    @Test("the longest matching prefix wins, whatever the row order")
    func longestPrefix() throws {
        let rows = [
            GS1PrefixRange(start: "72", end: "72", usage: "two"),
            GS1PrefixRange(start: "729", end: "729", usage: "three"),
            GS1PrefixRange(start: "72901", end: "72905", usage: "five"),
        ]
        for ranges in [rows, rows.reversed()] {
            let table = GS1PrefixTable(ranges: ranges)
            #expect(table.allocation(for: try GTIN(parsing: "7290300000005")) == .memberOrganisation("five"))
            #expect(table.allocation(for: try GTIN(parsing: "7290000000008")) == .memberOrganisation("three"))
            #expect(table.allocation(for: try GTIN(parsing: "7210000000006")) == .memberOrganisation("two"))
        }
    }

    @Test("malformed rows given to init are ignored")
    func ignoresMalformedRows() throws {
        let table = GS1PrefixTable(ranges: [
            GS1PrefixRange(start: "72a", end: "729", usage: "bad digits"),
            GS1PrefixRange(start: "729", end: "72", usage: "unequal lengths"),
            GS1PrefixRange(start: "729", end: "700", usage: "reversed"),
            GS1PrefixRange(start: "729", end: "729", usage: "GS1 Israel"),
        ])
        #expect(table.allocation(for: try GTIN(parsing: "7290000000008")) == .memberOrganisation("GS1 Israel"))
        #expect(table.ranges.count == 4)
    }

    @Test("CSV shape: extra and reordered columns, CRLF, BOM, quotes, blank lines")
    func csvShape() throws {
        let text =
            "\u{FEFF}usage,note,prefix_end,prefix_start\r\n"
            + "\"GS1 \"\"Quoted\"\" Org\",x,729,729\r\n"
            + "\r\n"
            + "\"Multi\nline\",\"a,b\",871,870\r\n"
            + " GS1 Spain ,, 849 , 840 "
        let ranges = try GS1PrefixTable.parseCSV(text)
        #expect(
            ranges == [
                GS1PrefixRange(start: "729", end: "729", usage: "GS1 \"Quoted\" Org"),
                GS1PrefixRange(start: "870", end: "871", usage: "Multi\nline"),
                GS1PrefixRange(start: "840", end: "849", usage: "GS1 Spain"),
            ])
        let table = try GS1PrefixTable(csv: text)
        #expect(table.allocation(for: try GTIN(parsing: "8412345000003")) == .memberOrganisation("GS1 Spain"))
    }

    @Test(
        "malformed CSV is rejected with the line",
        arguments: [
            ("", GS1PrefixTableError.missingColumn("prefix_start")),
            ("start,end,usage\n729,729,x\n", .missingColumn("prefix_start")),
            ("prefix_start,prefix_end\n729,729\n", .missingColumn("usage")),
            (
                "prefix_start,prefix_end,usage\n729,729,ok\n72x,729,bad\n",
                .invalidRow(line: 3, reason: "\"72x\" to \"729\" is not a range of prefixes of 1 to 12 digits of equal length")
            ),
            (
                "prefix_start,prefix_end,usage\n729,72,bad\n",
                .invalidRow(line: 2, reason: "\"729\" to \"72\" is not a range of prefixes of 1 to 12 digits of equal length")
            ),
            (
                "prefix_start,prefix_end,usage\n729,729\n",
                .invalidRow(line: 2, reason: "expected at least 3 fields, found 2")
            ),
            (
                "prefix_start,prefix_end,usage\n729,729,ok\n870,879,\"GS1 Netherlands\n",
                .unterminatedQuote(line: 3)
            ),
        ] as [(String, GS1PrefixTableError)])
    func malformedCSV(_ text: String, _ expected: GS1PrefixTableError) {
        #expect(throws: expected) { try GS1PrefixTable.parseCSV(text) }
    }
}
