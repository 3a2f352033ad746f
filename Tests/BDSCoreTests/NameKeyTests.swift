import BDSCore
import Testing

@Suite("Name normalisation and similarity")
struct NameKeyTests {
    @Test("Names that differ only in form meet", arguments: [
        ("McDonald's", "mcdonalds"),
        ("McDonald’s", "mcdonalds"),
        ("The Coca-Cola Company", "coca cola"),
        ("HP Inc.", "hp"),
        ("Hewlett-Packard", "hewlett packard"),
        ("Procter & Gamble Co.", "procter and gamble"),
        ("Disney+", "disney plus"),
        ("Re/Max Holdings, Inc.", "re max holdings"),
        ("Construcciones y Auxiliar de Ferrocarriles S.A.", "construcciones y auxiliar de ferrocarriles"),
        ("Nestlé S.A.", "nestle"),
        ("Heidelberg Materials AG", "heidelberg materials"),
        ("Booking.com B.V.", "booking com"),
        ("  SODASTREAM  ", "sodastream"),
        ("Inc.", "inc"),
        ("The", "the"),
        ("Café Café Israel Ltd.", "cafe cafe israel"),
    ])
    func normalised(name: String, expected: String) {
        #expect(NameKey(name).normalized == expected)
    }

    @Test("ASCII and Unicode paths agree on ASCII-only input", arguments: [
        "Ahava Dead Sea Laboratories Ltd.", "Strauss Group", "RE/MAX", "B. Gaon Holdings Ltd.", "D.N. Kol-Gader Ltd.",
    ])
    func pathsAgree(name: String) {
        let decorated = name + "\u{00E9}"  // forces the Unicode path; é folds to e
        #expect(NameKey(decorated).normalized == NameKey(name + "e").normalized)
    }

    @Test("compact drops spaces so CocaCola meets Coca Cola")
    func compact() {
        #expect(NameKey("CocaCola").compact == NameKey("Coca Cola").compact)
    }

    @Test("Similarity: near misses score high, unrelated and substring-only names low", arguments: [
        ("sodastrem", "SodaStream", 0.85, 1.0),
        ("pepsico", "PepsiCo", 1.0, 1.0),
        ("fitness", "Planet Fitness", 0.0, 0.6),
        ("orion", "Orion Group", 0.0, 0.75),
        ("intel", "Dell Technologies", 0.0, 0.5),
    ])
    func similarity(query: String, candidate: String, low: Double, high: Double) {
        let s = NameSimilarity.score(NameKey(query), NameKey(candidate))
        #expect(s >= low && s <= high, "\(query) vs \(candidate): \(s)")
    }

    @Test("Edit distance counts a transposition as one edit")
    func transposition() {
        #expect(NameSimilarity.levenshtein(Array("sabra".unicodeScalars), Array("sbara".unicodeScalars)) == 1)
        #expect(NameSimilarity.levenshtein(Array("kitten".unicodeScalars), Array("sitting".unicodeScalars)) == 3)
    }
}
