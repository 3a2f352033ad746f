import BDSCore
import BDSStore
import BDSTestSupport
import Testing

@Suite("Verdicts on the fixture store")
struct VerdictTests {
    let store = FixtureStore.shared

    @Test("Sabra: 50 % Strauss Group (consumer boycott) and 50 % PepsiCo (pressure), each with its path")
    func sabraFiftyFifty() throws {
        let v = try store.verdict(for: "sabra")
        #expect(v.kind == .name)
        #expect(v.verdict == .listedConsumerBoycott)
        #expect(v.matched.map(\.name) == ["Sabra"])
        let strauss = try #require(v.listings.first { $0.listing.target.displayName == "Strauss Group" })
        #expect(strauss.path.text == "Sabra → 50 % owned by Strauss Group")
        #expect(strauss.listing.category == .consumerBoycott)
        #expect(strauss.listing.sourceURL == "https://example.org/fixture/list")
        #expect(strauss.listing.retrieved == "2026-01-01")
        #expect(strauss.listing.startDate == "2023-12-23")
        let pepsi = try #require(v.listings.first { $0.listing.target.displayName == "PepsiCo" })
        #expect(pepsi.path.text == "Sabra → 50 % owned by PepsiCo")
        #expect(pepsi.listing.category == .pressure)
        #expect(Set(v.owners.map(\.owner.name)) == ["Strauss Group", "PepsiCo"])
        #expect(v.owners.allSatisfy { $0.percent == 50 })
    }

    @Test("SodaStream reaches PepsiCo's listing through ownership; a pressure listing is not a consumer boycott")
    func sodaStreamToPepsiCo() throws {
        let v = try store.verdict(for: "SodaStream")
        #expect(v.verdict == .listedOther)
        #expect(v.listings.count == 1)
        #expect(v.listings[0].path.text == "SodaStream → owned by PepsiCo")
        #expect(v.summary.contains("Fixture Campaign"))
    }

    @Test(
        "HyperX → HP Inc., and HP's aliases meet at one company",
        arguments: ["hyperx", "HP", "Hewlett Packard", "hewlett-packard", "HP INC"])
    func hyperXAndHP(query: String) throws {
        let v = try store.verdict(for: query)
        #expect(v.verdict == .listedConsumerBoycott)
        #expect(v.listings.contains { $0.listing.target.displayName == "HP Inc." })
    }

    @Test("A valid 729 code with no known product is a hint only, never a listing")
    func israelPrefixHintOnly() throws {
        let v = try store.verdict(for: "7290011498382")
        #expect(v.kind == .barcode)
        #expect(v.verdict == .hintOnly)
        #expect(v.product == nil)
        #expect(v.listings.isEmpty)
        #expect(v.hints.count == 1)
        #expect(v.hints[0].text.contains("GS1 Israel"))
        #expect(v.barcode?.allocation == "GS1 Israel")
    }

    @Test("A known 729 product of an unlisted brand: still only a hint")
    func knownIsraelProduct() throws {
        let v = try store.verdict(for: "7290000000015")
        #expect(v.verdict == .hintOnly)
        #expect(v.product?.brand?.name == "Quiet Foods")
    }

    @Test("Netherlands 871 is not Israel: an unknown code with no hint")
    func netherlandsIsNotIsrael() throws {
        let v = try store.verdict(for: "8710000000017")
        #expect(v.verdict == .unknown)
        #expect(v.hints.isEmpty)
        #expect(v.barcode?.allocation == "GS1 Netherlands")
    }

    @Test("A known product whose brand nothing lists: no listing found (not unknown)")
    func knownNoListing() throws {
        let v = try store.verdict(for: "4000000000013")
        #expect(v.verdict == .noListingFound)
        #expect(v.product?.name == "Fixture Bread")
    }

    @Test(
        "A barcode reaches listings through product → brand → owners",
        arguments: ["0040822011143", "040822011143", "00040822011143"])
    func barcodeChain(code: String) throws {
        let v = try store.verdict(for: code)
        #expect(v.verdict == .listedConsumerBoycott)
        #expect(v.product?.brand?.name == "Sabra")
        #expect(v.listings.contains { $0.path.text == "Sabra → 50 % owned by Strauss Group" })
    }

    @Test("A delisted UN company: history shown, no verdict")
    func delistedIsHistory() throws {
        let v = try store.verdict(for: "Delisted Example")
        #expect(v.verdict == .noListingFound)
        #expect(v.listings.isEmpty)
        #expect(v.history.count == 1)
        #expect(v.history[0].listing.endDate == "2025-09-26")
        #expect(v.history[0].listing.campaign == "UN OHCHR database")
        #expect(v.history[0].listing.reasons == ["Activity (g)"])
    }

    @Test("A listed UN company, its footnote letter stripped, with the activity reasons")
    func listedUN() throws {
        let v = try store.verdict(for: "Listed Example Ltd")
        #expect(v.verdict == .listedOther)
        #expect(v.listings.first?.listing.category == .unDatabase)
        #expect(v.listings.first?.listing.reasons == ["Activity (a)", "Activity (g)"])
    }

    @Test("An ended campaign listing is history and changes no verdict")
    func endedCampaignListing() throws {
        let v = try store.verdict(for: "Orion Group")
        #expect(v.verdict == .noListingFound)
        #expect(v.history.first?.listing.endReason == "Not present in the later copy")
    }

    @Test("A misspelling is a scored suggestion, never a verdict")
    func misspelling() throws {
        let v = try store.verdict(for: "sodastrem")
        #expect(v.verdict == .unknown)
        #expect(v.listings.isEmpty)
        let top = try #require(v.candidates.first)
        #expect(top.entity.name == "SodaStream")
        #expect(top.score >= 0.85 && top.score < 1)
    }

    @Test("Short common words never match longer names", arguments: ["Fitness", "Orion", "Group", "Holding", "hp x"])
    func commonWordsAreUnknown(query: String) throws {
        let v = try store.verdict(for: query)
        #expect(v.verdict == .unknown)
        #expect(v.listings.isEmpty)
        #expect(v.matched.isEmpty)
    }

    @Test(
        "A link that would close an ownership cycle is refused at build and shown as a contradiction; each listing is reached once"
    )
    func ownershipCycle() throws {
        let v = try store.verdict(for: "Loop Holding A")
        #expect(v.verdict == .listedOther)
        #expect(v.listings.count == 1)
        #expect(v.listings[0].path.text == "Loop Holding A → 60 % owned by Loop Holding B")
        #expect(v.owners.map(\.owner.name) == ["Loop Holding B"])
        let refused = try #require(v.ownershipContradictions.first)
        #expect(refused.kind == .cycle)
        #expect(refused.claim == "Loop Holding B → owned by Loop Holding A (40 %)")
        #expect(try store.verdict(for: "Loop Holding B").ownershipContradictions.map(\.kind) == [.cycle])
    }

    @Test("A mistyped barcode is invalid and names the expected check digit")
    func wrongCheckDigit() throws {
        let v = try store.verdict(for: "7290011498387")
        #expect(v.verdict == .invalid)
        #expect(v.problem?.expectedCheckDigit == 2)
        #expect(v.problem?.correctedCode == "7290011498382")
        #expect(v.summary.contains("2"))
    }

    @Test("Restricted and book codes are answered as such, never looked up", arguments: ["2000000000015", "9780306406157"])
    func notProductCodes(code: String) throws {
        let v = try store.verdict(for: code)
        #expect(v.verdict == .unknown)
        #expect(v.barcode?.identifiesProduct == false)
        #expect(v.product == nil)
        #expect(v.hints.isEmpty)
    }

    @Test("search ranks exact matches first and scores fuzzy ones below 1")
    func searchRanking() throws {
        let exact = try store.search("pepsico")
        #expect(exact.first?.entity.name == "PepsiCo")
        #expect(exact.first?.score == 1)
        let fuzzy = try store.search("pepsi coo")
        #expect(fuzzy.first?.entity.name == "PepsiCo")
        #expect((fuzzy.first?.score ?? 1) < 1)
    }
}
