import BDSCore
import Testing

/// The verdict rules on plain facts, with no store behind them.
@Suite("Verdict rules: facts in, one verdict out")
struct VerdictRulesTests {
    static let sabra = EntityRef(id: 1, name: "Sabra", kind: .brand)
    static let strauss = EntityRef(id: 2, name: "Strauss Group", kind: .company)

    static func listing(_ category: ListingCategory, ended: String? = nil) -> ListingMatch {
        ListingMatch(
            listing: Listing(
                id: 1, target: .entity(strauss), campaign: "Campaign", category: category, reasons: ["r"],
                sourceURL: "https://example.org/list", retrieved: "2026-01-01", startDate: "2020", endDate: ended
            ),
            path: LinkPath(start: "Sabra", links: [])
        )
    }

    static let israel = GS1Allocation.memberOrganisation("GS1 Israel")

    static func row(
        _ id: Int64, _ category: ListingCategory = .consumerBoycott, url: String, reasons: [String] = ["r"],
        ended: String? = nil, path: [OwnershipLink] = []
    ) -> ListingMatch {
        ListingMatch(
            listing: Listing(
                id: id, target: .entity(strauss), campaign: "Campaign", category: category, reasons: reasons, sourceURL: url,
                retrieved: "2026-01-01", endDate: ended
            ),
            path: LinkPath(start: "Sabra", links: path)
        )
    }

    @Test("Rows saying the same thing are one card with every source and reason; a different category, date or path is its own")
    func oneCardPerThingSaid() {
        let link = OwnershipLink(
            owned: Self.sabra, owner: Self.strauss, percent: 50, sourceURL: "https://example.org/o", retrieved: "2026")
        let v = VerdictRules.verdict(
            from: LookupFacts(
                query: "q", kind: .name, matched: [Self.sabra],
                reached: [
                    Self.row(1, url: "https://example.org/a", reasons: ["operations in Israel"]),
                    Self.row(2, .pressure, url: "https://example.org/a"),
                    Self.row(3, url: "https://example.org/b", reasons: ["operations in Israel", "settlements"]),
                    Self.row(4, url: "https://example.org/a", path: [link]),
                    Self.row(5, url: "https://example.org/c", ended: "2024"),
                    Self.row(6, url: "https://example.org/d", ended: "2024"),
                    Self.row(7, url: "https://example.org/a"),
                ]))
        #expect(v.listings.map(\.listing.id) == [1, 2, 4])
        let card = v.listings[0].listing
        #expect(card.otherSources.map(\.id) == [3], "row 7 repeats row 1's source and date: nothing to add")
        #expect(card.otherSources.first?.sourceURL == "https://example.org/b")
        #expect(card.reasons == ["operations in Israel", "settlements", "r"])
        #expect(v.history.map(\.listing.id) == [5])
        #expect(v.history[0].listing.otherSources.map(\.sourceURL) == ["https://example.org/d"])
        #expect(
            v.summary
                == VerdictRules.verdict(
                    from: LookupFacts(
                        query: "q", kind: .name, matched: [Self.sabra],
                        reached: [
                            Self.row(1, url: "https://example.org/a"), Self.row(2, .pressure, url: "https://example.org/a"),
                        ])
                ).summary)
    }

    @Test(
        "Each level from the facts that make it",
        arguments: [
            (
                LookupFacts(query: "q", kind: .name, matched: [sabra], reached: [listing(.consumerBoycott)]),
                VerdictLevel.listedConsumerBoycott
            ),
            (LookupFacts(query: "q", kind: .name, matched: [sabra], reached: [listing(.pressure)]), .listedOther),
            (
                LookupFacts(query: "q", kind: .name, matched: [sabra], reached: [listing(.consumerBoycott, ended: "2024")]),
                .noListingFound
            ),
            (LookupFacts(query: "q", kind: .name, matched: [sabra]), .noListingFound),
            (LookupFacts(query: "q", kind: .name), .unknown),
            (LookupFacts(query: "q", kind: .name, problem: InputProblem(message: "m")), .invalid),
            (LookupFacts(query: "729", kind: .barcode, allocation: israel), .hintOnly),
            (
                LookupFacts(query: "729", kind: .barcode, allocation: israel, matched: [sabra], reached: [listing(.pressure)]),
                .listedOther
            ),
            (LookupFacts(query: "200", kind: .barcode, allocation: .restrictedCirculation("in-store")), .unknown),
        ])
    func levels(facts: LookupFacts, expected: VerdictLevel) {
        #expect(VerdictRules.verdict(from: facts).verdict == expected)
    }

    @Test("Ended listings are history and never listings")
    func endedIsHistory() {
        let v = VerdictRules.verdict(
            from: LookupFacts(
                query: "sabra", kind: .name, matched: [Self.sabra],
                reached: [Self.listing(.consumerBoycott, ended: "2024-12"), Self.listing(.pressure)]
            ))
        #expect(v.listings.map(\.listing.category) == [.pressure])
        #expect(v.history.map(\.listing.endDate) == ["2024-12"])
        #expect(v.summary == "Sabra: listed by Campaign (pressure campaign)")
    }

    @Test("The GS1 Israel hint is given only where the code identifies a product, and is labelled a hint")
    func issuerHint() {
        let hinted = VerdictRules.verdict(from: LookupFacts(query: "7290000000001", kind: .barcode, allocation: Self.israel))
        #expect(hinted.hints.map(\.kind) == ["gs1-prefix"])
        #expect(hinted.hints[0].text.contains("not a listing"))
        let other = VerdictRules.verdict(
            from: LookupFacts(query: "x", kind: .barcode, allocation: .memberOrganisation("GS1 France")))
        #expect(other.hints.isEmpty)
    }

    @Test("Candidates below the suggestion threshold are dropped; the rest never make a verdict")
    func candidates() {
        let v = VerdictRules.verdict(
            from: LookupFacts(
                query: "sabr", kind: .name,
                candidates: [
                    Candidate(entity: Self.sabra, matchedName: "Sabra", score: 0.9),
                    Candidate(entity: Self.strauss, matchedName: "Strauss Group", score: 0.3),
                ]))
        #expect(v.verdict == .unknown)
        #expect(v.candidates.map(\.matchedName) == ["Sabra"])
        #expect(v.summary == "sabr: not found; did you mean Sabra (90 %)?")
    }
}
