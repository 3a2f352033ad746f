import BDSCore
import Testing

@Suite("Headlines worded from the campaigns' own terms")
struct HeadlineTests {
    /// The verdict the rules give for these facts.
    static func verdict(
        query: String, kind: QueryKind, barcode: BarcodeInfo? = nil, allocation: GS1Allocation? = nil,
        matched: [EntityRef] = [], listings: [ListingMatch] = [], history: [ListingMatch] = [], problem: InputProblem? = nil
    ) -> Verdict {
        VerdictRules.verdict(
            from: LookupFacts(
                query: query, kind: kind, barcode: barcode, allocation: allocation, matched: matched,
                reached: listings + history, problem: problem
            ))
    }

    static let company = EntityRef(id: 1, name: "Example Co", kind: .company)

    static func listing(_ category: ListingCategory, id: Int64 = 1, ended: Bool = false) -> ListingMatch {
        ListingMatch(
            listing: Listing(
                id: id, target: .entity(company), campaign: "Campaign", category: category, reasons: ["why"],
                sourceURL: "https://example.org", retrieved: "2026-01-01", endDate: ended ? "2025" : nil
            ),
            path: LinkPath(start: "Example Co", links: [])
        )
    }

    @Test(
        "Each category has its own headline",
        arguments: [
            (ListingCategory.consumerBoycott, "Consumer boycott target", Headline.Kind.consumerBoycott),
            (.organic, "Grassroots boycott target", .grassrootsBoycott),
            (.divestment, "Divestment target", .divestment),
            (.pressure, "Pressure campaign target", .pressure),
            (.unDatabase, "In the UN database of businesses in settlements", .unDatabase),
            (.other, "Named on a campaign list", .otherList),
        ])
    func perCategory(category: ListingCategory, text: String, kind: Headline.Kind) {
        let v = Self.verdict(query: "example", kind: .name, matched: [Self.company], listings: [Self.listing(category)])
        #expect(v.headline == Headline(kind: kind, text: text))
    }

    @Test("A grassroots boycott heads an answer that also has a divestment listing, whatever their order")
    func leadingCategory() {
        let v = Self.verdict(
            query: "example", kind: .name, matched: [Self.company],
            listings: [Self.listing(.divestment, id: 1), Self.listing(.unDatabase, id: 2), Self.listing(.organic, id: 3)])
        #expect(v.verdict == .listedOther)
        #expect(v.headline.text == "Grassroots boycott target")
        #expect(v.listingsByRelevance.map(\.listing.id) == [3, 1, 2])
    }

    @Test("A book or magazine code cannot be checked, and says so in its headline")
    func nonProductCodes() throws {
        for (usage, expected) in [
            ("Bookland (ISBN)", "Cannot be checked: book code"),
            ("Serial publications (ISSN)", "Cannot be checked: magazine code"),
            ("Used to issue GS1 Restricted Circulation Numbers", "Cannot be checked: in-store code"),
        ] {
            let gtin = try GTIN(parsing: "9780306406157")
            let allocation = GS1Allocation(usage: usage)
            var barcode = BarcodeInfo(gtin: gtin, input: "9780306406157", range: nil, allocation: allocation)
            barcode.allocation = usage
            let v = Self.verdict(query: "9780306406157", kind: .barcode, barcode: barcode, allocation: allocation)
            #expect(v.verdict == .unknown)
            #expect(v.headline == Headline(kind: .cannotCheck, text: expected))
        }
    }

    @Test("Unknown, no listing, hint and mistyped answers keep apart")
    func otherLevels() {
        #expect(Self.verdict(query: "zz", kind: .name).headline.text == "Unknown: not in the data")
        #expect(Self.verdict(query: "x", kind: .name, matched: [Self.company]).headline.text == "No listing found")
        #expect(
            Self.verdict(query: "x", kind: .name, allocation: .memberOrganisation("GS1 Israel"), matched: [Self.company]).headline
                .kind == .hint)
        let mistyped = Self.verdict(
            query: "7290011498387", kind: .barcode,
            problem: InputProblem(message: "m", expectedCheckDigit: 2, correctedCode: "7290011498382"))
        #expect(mistyped.headline.text == "Mistyped barcode: check digit should be 2")
        // Ended listings never lead: only history, so the answer is "no listing found".
        let ended = Self.verdict(
            query: "x", kind: .name, matched: [Self.company], history: [Self.listing(.consumerBoycott, ended: true)])
        #expect(ended.headline.text == "No listing found")
    }

    @Test("Notes on the entities an answer names come once each; listings without a start date say when they were read")
    func notesAndDates() {
        let noted = EntityRef(id: 7, name: "Mehadrin", kind: .brand, note: "The word is also a common kosher-certification term.")
        var match = Self.listing(.consumerBoycott)
        match.listing.target = .entity(noted)
        let v = Self.verdict(query: "mehadrin", kind: .name, matched: [noted], listings: [match])
        #expect(v.notes.count == 1)
        #expect(v.notes.first?.subject == "Mehadrin")
        #expect(v.notes.first?.note.contains("kosher-certification") == true)
        #expect(match.listing.datesText == "on the list as read 2026-01-01")
        match.listing.startDate = "2023-12-23"
        #expect(match.listing.datesText == "listed since 2023-12-23")
    }
}
