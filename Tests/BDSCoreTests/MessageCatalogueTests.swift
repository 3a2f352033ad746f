import BDSCore
import Foundation
import Testing

@Suite("The message catalogue: every language complete, every placeholder as in English")
struct MessageCatalogueTests {
    static let codes = MessageCatalogue.bundledCodes()
    static let english = try! MessageCatalogue.bundled("en")!

    /// Every placeholder an entry's texts use.
    static func placeholders(_ entry: MessageCatalogue.Entry) -> Set<String> {
        entry.texts.reduce(into: Set<String>()) { $0.formUnion(MessageCatalogue.placeholders(in: $1)) }
    }

    @Test("The shipped languages are at least those the shoppers read first")
    func languages() {
        #expect(Set(["en", "ar", "ur", "tr", "ms", "id", "fr"]).isSubset(of: Set(Self.codes)), "\(Self.codes)")
        #expect(Self.codes.first == "en")
    }

    @Test("Each language has every English key, and no key English lacks", arguments: codes)
    func complete(code: String) throws {
        let catalogue = try #require(try MessageCatalogue.bundled(code))
        let missing = Set(Self.english.entries.keys).subtracting(catalogue.entries.keys)
        let extra = Set(catalogue.entries.keys).subtracting(Self.english.entries.keys)
        #expect(missing.isEmpty, "\(code).json lacks \(missing.sorted())")
        #expect(extra.isEmpty, "\(code).json has keys English does not: \(extra.sorted())")
    }

    @Test("Each message has the same placeholders as in English", arguments: codes)
    func placeholders(code: String) throws {
        let catalogue = try #require(try MessageCatalogue.bundled(code))
        for (key, entry) in catalogue.entries {
            guard let reference = Self.english.entries[key] else { continue }
            let expected = Self.placeholders(reference)
            #expect(Self.placeholders(entry) == expected, "\(code).json \(key): placeholders differ from English")
            // Each form says no more than English can fill; the "other" form says everything but the count.
            for text in entry.texts {
                let used = MessageCatalogue.placeholders(in: text)
                #expect(
                    used.isSubset(of: expected), "\(code).json \(key): \(used.subtracting(expected).sorted()) are not English's")
            }
            if case .plural(let forms) = entry, let other = forms[.other] {
                let needed = expected.subtracting(["count"])
                #expect(
                    MessageCatalogue.placeholders(in: other).isSuperset(of: needed),
                    "\(code).json \(key): the other form drops \(needed.subtracting(MessageCatalogue.placeholders(in: other)).sorted())"
                )
            }
        }
    }

    @Test(
        "Plural forms are the ones the language's rule has, and English words its counted messages as plurals", arguments: codes)
    func pluralForms(code: String) throws {
        let catalogue = try #require(try MessageCatalogue.bundled(code))
        for (key, entry) in catalogue.entries {
            guard case .plural(let forms) = entry else { continue }
            let unknown = Set(forms.keys).subtracting(catalogue.plurals.categories)
            #expect(unknown.isEmpty, "\(code).json \(key): \(unknown.map(\.rawValue)) are not forms of rule \(catalogue.plurals)")
            #expect(MessageCatalogue.placeholders(in: forms[.other] ?? "").contains("count") || key == "summary.owns-listed")
        }
        // A message worded for a count is a plural in English, so every language can word it.
        for key in ["summary.owns-listed", "kiosk.data-old"] {
            guard case .plural = try #require(Self.english.entries[key]) else {
                Issue.record("en.json \(key) is not a plural message")
                continue
            }
        }
    }

    @Test("Each language says who reviewed it", arguments: codes)
    func reviewed(code: String) throws {
        let catalogue = try #require(try MessageCatalogue.bundled(code))
        #expect(!catalogue.reviewed.isEmpty)
        #expect(!catalogue.name.isEmpty && !catalogue.englishName.isEmpty)
    }

    @Test("Right-to-left languages say so")
    func directions() throws {
        #expect(try MessageCatalogue.bundled("ar")?.direction == .rtl)
        #expect(try MessageCatalogue.bundled("ur")?.direction == .rtl)
        #expect(try MessageCatalogue.bundled("tr")?.direction == .ltr)
    }

    @Test(
        "The GS1 prefix caveat names the issuer in every language, and every language has its own words for it", arguments: codes)
    func prefixCaveat(code: String) throws {
        let m = try #require(Messages.forLanguage(code))
        let text = VerdictRules.issuerHintText(issuer: "GS1 Israel", in: m)
        #expect(text.contains("GS1 Israel"))
        if code != "en" {
            #expect(text != VerdictRules.issuerHintText(issuer: "GS1 Israel", in: .english), "\(code) copies the English caveat")
        }
    }

    @Test("English in the catalogue is English in the machine fields")
    func englishMatchesMachineFields() {
        let m = Messages.english
        for category in ListingCategory.allCases { #expect(category.label(in: m) == category.label) }
        let allocations: [GS1Allocation] = [
            .memberOrganisation("GS1 Israel"), .restrictedCirculation("x"), .issn, .isbnOrIsmn, .refundReceipt, .coupon("x"),
            .globalOffice("GS1 Global Office"), .unassigned,
        ]
        for a in allocations { #expect(a.label(in: m) == a.label) }
        let strauss = EntityRef(id: 2, name: "Strauss Group", kind: .company)
        let sabra = EntityRef(id: 1, name: "Sabra", kind: .brand)
        let path = LinkPath(
            start: "Sabra", links: [OwnershipLink(owned: sabra, owner: strauss, percent: 50, sourceURL: nil, retrieved: nil)])
        #expect(path.text(in: m) == path.text)
        #expect(ListingTarget.product(gtin: "123").displayName(in: m) == ListingTarget.product(gtin: "123").displayName)
    }

    @Test("A language with no file is no language; tags and locales find their language")
    func lookup() {
        #expect(Messages.forLanguage("xx") == nil)
        #expect(Messages.forLanguage("../en") == nil)
        #expect(Messages.forLanguage("ar-EG")?.code == "ar")
        #expect(Messages.forLanguage("ur_PK.UTF-8")?.code == "ur")
        #expect(Messages.forLanguage("FR")?.code == "fr")
    }

    @Test("A message a language lacks comes from English; a plural is worded for its count")
    func fallbackAndPlurals() throws {
        let en = Self.english
        let partial = try MessageCatalogue(
            code: "zz",
            data: Data(
                #"{"language": {"name": "Z", "englishName": "Z", "dir": "rtl", "plural": "ar", "digits": "arab", "reviewed": "test"}, "messages": {"kiosk.data-old": {"one": "one day", "two": "two days", "few": "{count} few", "other": "{count} other"}}}"#
                    .utf8))
        let m = Messages(catalogue: partial, fallback: en)
        #expect(m.text("headline.no-listing") == "No listing found")
        #expect(m.text("kiosk.data-old", ["count": .number(1)]) == "one day")
        #expect(m.text("kiosk.data-old", ["count": .number(2)]) == "two days")
        #expect(m.text("kiosk.data-old", ["count": .number(5)]) == "٥ few")
        #expect(m.text("kiosk.data-old", ["count": .number(100)]) == "١٠٠ other")
        #expect(Messages.english.text("kiosk.data-old", ["label": .text("x"), "count": .number(1)]).contains("1 day:"))
        #expect(Messages.english.text("kiosk.data-old", ["label": .text("x"), "count": .number(3)]).contains("3 days:"))
    }

    @Test("A catalogue file's strings are JSON strings: escapes and surrogate pairs as JSON reads them")
    func escapes() throws {
        let text =
            #"{"language": {"name": "Z", "englishName": "Z", "dir": "ltr", "plural": "en", "reviewed": "t"}, "messages": {"a": "\"q\" \\ \/ \n\t \u00e9 \u2068x\u2069 \ud83d\ude00 ü"}}"#
        let catalogue = try MessageCatalogue(code: "zz", data: Data(text.utf8))
        #expect(catalogue.entries["a"] == .text("\"q\" \\ / \n\t é \u{2068}x\u{2069} 😀 ü"))
    }

    @Test("A broken catalogue file says which language and what is wrong")
    func brokenFile() {
        let language = #""language": {"name": "Z", "englishName": "Z", "dir": "ltr", "plural": "en", "reviewed": "t"}"#
        for broken in [
            #"{"language": {}, "messages": {"a": "x"}"#, #"{"language": {}, "messages": {"a": 1}}"#,
            "{\(language), \"messages\": {\"a\": \"x\", \"a\": \"y\"}}", "{\(language), \"messages\": {\"a\": \"\\q\"}}",
            "{\(language), \"messages\": {\"a\": \"x\"}} trailing",
        ] {
            #expect(throws: MessageCatalogueError.self) { try MessageCatalogue(code: "zz", data: Data(broken.utf8)) }
        }
        #expect(throws: MessageCatalogueError.self) {
            try MessageCatalogue(code: "zz", data: Data(#"{"language": {"name": "Z"}, "messages": {}}"#.utf8))
        }
        #expect(throws: MessageCatalogueError.self) {
            try MessageCatalogue(
                code: "zz",
                data: Data(
                    #"{"language": {"name": "Z", "englishName": "Z", "dir": "ltr", "plural": "en", "reviewed": "t"}, "messages": {"a": {"one": "x"}}}"#
                        .utf8))
        }
    }

    @Test(
        "CLDR plural categories for whole numbers",
        arguments: [
            (PluralRule.en, 1, PluralCategory.one), (.en, 0, .other), (.en, 2, .other), (.fr, 0, .one), (.fr, 1, .one),
            (.fr, 2, .other), (.ar, 0, .zero), (.ar, 1, .one), (.ar, 2, .two), (.ar, 3, .few), (.ar, 102, .other),
            (.ar, 111, .many), (.ar, 1003, .few), (.none, 1, .other),
        ])
    func plurals(rule: PluralRule, n: Int, category: PluralCategory) {
        #expect(rule.category(n) == category)
    }
}

@Suite("Choosing the language")
struct LanguageChoiceTests {
    @Test("LC_ALL, then LC_MESSAGES, then LANG; C and POSIX are no language")
    func environment() {
        #expect(Language.fromEnvironment(["LANG": "tr_TR.UTF-8"]) == "tr")
        #expect(Language.fromEnvironment(["LANG": "tr_TR.UTF-8", "LC_MESSAGES": "fr_FR"]) == "fr")
        #expect(Language.fromEnvironment(["LANG": "tr_TR.UTF-8", "LC_MESSAGES": "fr_FR", "LC_ALL": "ar_EG.UTF-8"]) == "ar")
        #expect(Language.fromEnvironment(["LC_ALL": "", "LANG": "ms_MY"]) == "ms")
        #expect(Language.fromEnvironment(["LANG": "C.UTF-8"]) == nil)
        #expect(Language.fromEnvironment(["LANG": "POSIX"]) == nil)
        #expect(Language.fromEnvironment([:]) == nil)
    }

    @Test("Accept-Language: by q, then by order; q=0 and wildcards left out")
    func acceptLanguage() {
        #expect(Language.fromAcceptLanguage("tr") == ["tr"])
        #expect(Language.fromAcceptLanguage("de-DE,ur;q=0.9,en;q=0.8") == ["de", "ur", "en"])
        #expect(Language.fromAcceptLanguage("en;q=0.5, ar-EG") == ["ar", "en"])
        #expect(Language.fromAcceptLanguage("fr;q=0, *;q=0.1, id") == ["id"])
        #expect(Language.fromAcceptLanguage("") == [])
    }
}
