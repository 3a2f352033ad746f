import BDSCore
import BDSStore
import BDSTestSupport
import Testing

/// What a shopper types finds the entity the evidence names, and a near-miss never becomes a verdict.
@Suite("Identity: short names, names in other scripts, owners of listed brands, suggestions")
struct IdentityTests {
    static var shipped: Store { ShippedStore.shared }

    @Test(
        "The short name of a formal UN name matches it, and the answer says it was derived",
        arguments: [
            ("Bezeq", "Bezeq, the Israeli Telecommunications Corp. Ltd."),
            ("bezeq", "Bezeq, the Israeli Telecommunications Corp. Ltd."),
            ("Delta Galil", "Delta Galil Industries Ltd."),
            ("Mizrahi Tefahot", "Mizrahi Tefahot Bank Ltd."),
            // A short name ending in a legal form is met as a query of it is normalised (the "Co" dropped).
            ("Shahar Co", "Shahar Co. – Civil Engineering, Construction and Infrastructure Company Ltd."),
            ("Shahar", "Shahar Co. – Civil Engineering, Construction and Infrastructure Company Ltd."),
        ])
    func shortNames(query: String, formal: String) throws {
        let v = try Self.shipped.verdict(for: query)
        #expect(v.matched.map(\.name) == [formal])
        #expect(v.verdict == .listedOther)
        #expect(v.listings.contains { $0.listing.category == .unDatabase })
        #expect(v.nameMatch?.derivedFrom == formal)
    }

    @Test(
        "A one-word short name several entities share, or a generic one, only suggests, with the verdict each would have",
        arguments: ["Motorola", "booking", "Delta"])
    func sharedShortNames(query: String) throws {
        let v = try Self.shipped.verdict(for: query)
        #expect(v.verdict == .unknown)
        #expect(v.matched.isEmpty && v.listings.isEmpty)
        let top = try #require(v.candidates.first)
        #expect(top.score == 1)
        #expect(top.verdict == .listedOther)
        #expect(top.derivedFrom != nil)
    }

    @Test(
        "A brand followed by product words, or a name that begins a longer one, is a suggestion and never a verdict",
        arguments: [("Sabra hummus", "Sabra"), ("Carrefour Paris 15e", "Carrefour"), ("Disney", "Disney+")])
    func brandPlusWords(query: String, suggested: String) throws {
        let v = try Self.shipped.verdict(for: query)
        #expect(v.verdict == .unknown)
        #expect(v.listings.isEmpty)
        let c = try #require(v.candidates.first { $0.entity.name == suggested })
        #expect(c.score >= NameSimilarity.suggestionThreshold && c.score < 1)
        #expect(c.verdict == .listedConsumerBoycott)
        #expect(v.summary.contains("did you mean"))
    }

    @Test(
        "Everyday words that are also brand names give no verdict",
        arguments: [
            "Simply", "Royal", "Kind", "Tiger", "Dove", "Fitness", "Orion", "Express", "Delta faucets", "Booking a table",
            "Water", "Israel", "Group", "Holdings", "Bank",
        ])
    func everydayWords(query: String) throws {
        for store in [Self.shipped, FixtureStore.shared] {
            let v = try store.verdict(for: query)
            #expect(v.listings.isEmpty && v.owns.isEmpty, "\(query) must not be listed")
            #expect(![VerdictLevel.listedConsumerBoycott, .listedOther, .ownsListed].contains(v.verdict), "\(query)")
        }
    }

    @Test("An owner of listed brands is never shown as clean: PepsiCo owns Sabra and SodaStream")
    func ownerOfListed() throws {
        let v = try Self.shipped.verdict(for: "PepsiCo")
        #expect(v.verdict == .ownsListed)
        #expect(v.listings.isEmpty)
        #expect(Set(v.owns.map(\.listing.target.displayName)).isSuperset(of: ["Sabra", "SodaStream"]))
        let sabra = try #require(v.owns.first { $0.listing.target.displayName == "Sabra" })
        #expect(sabra.path.text == "PepsiCo → owns 100 % of Sabra")
        #expect(sabra.path.links.first?.sourceURL?.hasPrefix("http") == true)
        #expect(sabra.path.links.first?.startDate == "2024-12-03")
        #expect(v.summary.hasPrefix("PepsiCo: not listed itself; owns "))
    }

    @Test("The downward walk shows the share owned, and never goes down a link the build refused as a cycle")
    func ownerWalkCycle() throws {
        // Loop Holding B owns 60 % of A; the fixture's "A owns 40 % of B" would close a cycle.
        let b = try FixtureStore.shared.verdict(for: "Loop Holding B")
        #expect(b.owns.isEmpty, "A is not listed")
        let a = try FixtureStore.shared.verdict(for: "Loop Holding A")
        #expect(a.owns.isEmpty, "the refused link does not make A an owner of the listed B")
        #expect(a.listings.map(\.path.text) == ["Loop Holding A → 60 % owned by Loop Holding B"])
        let pepsi = try Self.shipped.verdict(for: "PepsiCo")
        #expect(pepsi.owns.contains { $0.path.text == "PepsiCo → owns 100 % of Sabra" })
    }

    @Test(
        "Names in Arabic and Hebrew match their entity, typed with or without diacritics and tatweel",
        arguments: [
            ("סודה סטרים", "SodaStream"),
            ("סוֹדָה סְטְרִים", "SodaStream"),
            ("صودا ستريم", "SodaStream"),
            ("صُودَا سْتْرِيم", "SodaStream"),
            ("بيبسيكو", "PepsiCo"),
            ("بيبسيكـو", "PepsiCo"),
        ])
    func otherScripts(query: String, entity: String) throws {
        let v = try FixtureStore.shared.verdict(for: query)
        #expect(v.matched.map(\.name) == [entity])
        #expect(v.verdict != .unknown)
    }
}
