import BDSCore
import Testing

@Suite("Bidi isolation of names, codes and URLs in worded text")
struct BidiTests {
    static let fsi = "\u{2068}", pdi = "\u{2069}"

    @Test("Isolated inside right-to-left text, or when the text itself is right-to-left; otherwise unchanged")
    func isolate() {
        #expect(Bidi.isolate("Sabra", inRightToLeftText: true) == "\u{2068}Sabra\u{2069}")
        #expect(Bidi.isolate("0040822011143", inRightToLeftText: true) == "\u{2068}0040822011143\u{2069}")
        #expect(Bidi.isolate("Sabra", inRightToLeftText: false) == "Sabra")
        #expect(Bidi.isolate("كوكا كولا", inRightToLeftText: false) == "\u{2068}كوكا كولا\u{2069}")
        #expect(Bidi.isolate("שטראוס", inRightToLeftText: false) == "\u{2068}שטראוס\u{2069}")
        #expect(Bidi.isolate("", inRightToLeftText: true) == "")
        #expect(!Bidi.containsRightToLeft("Nestlé 123 ü"))
        #expect(Bidi.containsRightToLeft("Coca ﻛ"))
    }

    static let sabra = EntityRef(id: 1, name: "Sabra", kind: .brand)
    static let strauss = EntityRef(id: 2, name: "Strauss Group", kind: .company)

    static func listed(query: String, brand: EntityRef) -> Verdict {
        VerdictRules.verdict(
            from: LookupFacts(
                query: query, kind: .name, matched: [brand],
                reached: [
                    ListingMatch(
                        listing: Listing(
                            id: 1, target: .entity(strauss), campaign: "BDS", category: .consumerBoycott, reasons: ["why"],
                            sourceURL: "https://example.org", retrieved: "2026-01-01"),
                        path: LinkPath(
                            start: brand.name,
                            links: [OwnershipLink(owned: brand, owner: strauss, percent: 50, sourceURL: nil, retrieved: nil)]))
                ]))
    }

    @Test("An Arabic summary keeps a Latin brand and campaign in their own order")
    func arabicSummary() throws {
        let ar = try #require(Messages.forLanguage("ar"))
        let v = Self.listed(query: "sabra", brand: Self.sabra)
        let summary = VerdictRules.summary(for: v, in: ar)
        #expect(summary.hasPrefix("\(Self.fsi)Sabra\(Self.pdi): "))
        #expect(summary.contains("\(Self.fsi)BDS\(Self.pdi)"))
        // The path reads right to left: its arrow points that way, its numbers are Arabic-Indic.
        let path = v.listings[0].path.text(in: ar)
        #expect(path.contains(" ← ") && path.contains("٥٠٪"))
        #expect(path.contains("\(Self.fsi)Strauss Group\(Self.pdi)"))
    }

    @Test("English text isolates only a right-to-left name; the machine summary stays as it always was")
    func englishSummary() {
        let latin = Self.listed(query: "sabra", brand: Self.sabra)
        #expect(latin.summary == "Sabra: listed by BDS (consumer boycott)")
        #expect(latin.localized(in: .english).summary == latin.summary)
        let arabic = Self.listed(query: "صبرا", brand: EntityRef(id: 3, name: "صبرا", kind: .brand))
        #expect(arabic.summary == "صبرا: listed by BDS (consumer boycott)")
        #expect(arabic.localized(in: .english).summary == "\(Self.fsi)صبرا\(Self.pdi): listed by BDS (consumer boycott)")
    }

    @Test("A barcode keeps ASCII digits in every language; counts follow the language's digits")
    func digits() throws {
        let ar = try #require(Messages.forLanguage("ar"))
        let v = VerdictRules.verdict(
            from: LookupFacts(
                query: "0040822011144", kind: .barcode,
                problem: InputProblem(message: "x", expectedCheckDigit: 3, correctedCode: "0040822011143")))
        #expect(v.headline(in: ar).text.contains("٣"))
        let problem = try #require(v.localized(in: ar).problem)
        #expect(problem.contains("\(Self.fsi)0040822011143\(Self.pdi)"))
        #expect(problem.contains("٣"))
    }
}
