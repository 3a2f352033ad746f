import BDSCore
import Testing

/// The summary's "does the product name already start with its brand" check decides plain ASCII
/// names without normalising them; it must agree with the name keys on every pair.
@Suite("A product name that starts with its brand")
struct NameStartsTests {
    static func byKeys(_ name: String, _ brand: String) -> Bool {
        NameKey(name).normalized.hasPrefix(NameKey(brand).normalized)
    }

    @Test(
        "Agrees with the name keys on names chosen to trip a shortcut",
        arguments: [
            ("Sabra Hummus Classic 10 oz", "Sabra"), ("sabra hummus", "SABRA"), ("Sabras", "Sabra"), ("Sabrina", "Sabra"),
            ("Classic Hummus", "Sabra"), ("The Sabra Hummus", "Sabra"), ("Sabra Hummus", "The Sabra"), ("The", "The"),
            ("Theatre snacks", "The Atre"), ("A&W Root Beer", "A & W"), ("& Other Stories", "and other"),
            ("+Plus drink", "Plus"), ("\"Bo Kho\" Seasoning", "Bo Kho"), ("Sabra Inc. hummus", "Sabra Inc."),
            ("Coca-Cola Zero", "Coca Cola"), ("CocaCola", "Coca-Cola"), ("7 Days croissant", "7days"), ("", "Sabra"),
            ("Sabra", ""), ("Épicure tea", "Epicure"), ("سابرا حمص", "سابرا"), ("ＳＡＢＲＡ hummus", "Sabra"),
            ("Dove soap", "Dove"), ("Dove", "Dove Chocolate"), ("the body shop cream", "The Body Shop"),
        ])
    func trickyPairs(name: String, brand: String) {
        #expect(VerdictRules.nameStarts(name, with: brand) == Self.byKeys(name, brand), "\(name) / \(brand)")
    }

    @Test("Agrees with the name keys on 50,000 generated ASCII pairs")
    func generatedPairs() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        let words = [
            "The", "the", "THE", "Sabra", "sabra", "Co.", "Inc", "Ltd", "GmbH", "S.A.", "Company", "Corp.", "&", "+", "A", "And",
            "of", "Hummus", "7", "Days", "-", "\"", "O'Neil", "(Israel)", "!", "Sabra!", "SabraCo",
        ]
        func phrase() -> String {
            (0..<(1 + next(4))).map { _ in words[next(words.count)] }.joined(separator: [" ", "", "-", ". "][next(4)])
        }
        var disagreements: [String] = []
        for _ in 0..<50_000 {
            let (name, brand) = (phrase(), phrase())
            if VerdictRules.nameStarts(name, with: brand) != Self.byKeys(name, brand) {
                disagreements.append("\(name) / \(brand)")
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(10))")
    }
}
