import Testing

@testable import BDSCore

/// The scorer over prepared candidates gives exactly what the plain definition gives: the
/// optimal-string-alignment distance by the textbook table, and the words-at-the-start bonus by
/// comparing word arrays.
@Suite("Name similarity: the prepared scorer against the plain definition")
struct NameSimilarityTests {
    /// The textbook definition, kept here as the oracle.
    static func referenceDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[a.count][b.count]
    }

    static func referenceScore(_ query: NameKey, _ candidate: NameKey) -> Double {
        let a = Array(query.compact.unicodeScalars), b = Array(candidate.compact.unicodeScalars)
        guard !a.isEmpty, !b.isEmpty else { return 0 }
        if a == b { return 1 }
        let ratio = 1 - Double(referenceDistance(a, b)) / Double(max(a.count, b.count))
        let qw = query.words, cw = candidate.words
        var bonus = 0.0
        if qw.count < cw.count, Array(cw.prefix(qw.count)) == qw, query.compact.count >= NameSimilarity.minimumFuzzyLength {
            bonus = 0.6 * Double(query.compact.count) / Double(candidate.compact.count) + 0.2
        }
        return max(ratio, bonus)
    }

    static let names = [
        "Sabra Dipping Company", "SodaStream", "Coca-Cola", "The Coca-Cola Company", "Hewlett Packard Enterprise",
        "HP Inc.", "McDonald's", "Burger King", "Pizza Hut", "Papa John's", "Carrefour Market", "Booking.com B.V.",
        "Airbnb", "Xbox Game Studios", "Minecraft", "Call of Duty", "7 For All Mankind", "Club Med", "Shufersal Deal",
        "שופרסל", "סודה סטרים", "مايكروسوفت", "كوكا كولا", "ماكدونالدز", "ڈزنی پلس", "Nestlé", "Erreà", "Güllüoğlu",
        "Kinley", "Kayak (travel search engine)", "Sabra", "Sabras", "Planet Fitness", "Fitness", "a", "ab",
    ]

    /// Each name, and each with a letter dropped, doubled, swapped with its neighbour, or a word added.
    static var queries: [String] {
        names.flatMap { name -> [String] in
            let c = Array(name)
            var out = [name, name + " original", String(name.prefix(5)), String(name.dropFirst(2))]
            if c.count > 3 {
                out.append(String(c[0..<2] + c[3...]))
                out.append(String(c[0..<2] + [c[2], c[2]] + c[3...]))
                out.append(String(c[0..<1] + [c[2], c[1]] + c[3...]))
            }
            return out
        }
    }

    @Test("Every query against every name: the same score, to the last bit")
    func sameScores() {
        var compared = 0
        for q in Self.queries {
            let query = NameSimilarity.Query(NameKey(q))
            for n in Self.names {
                let key = NameKey(n)
                let expected = Self.referenceScore(NameKey(q), key)
                #expect(NameSimilarity.score(query, NameSimilarity.Candidate(key)) == expected, "\(q) / \(n)")
                #expect(NameSimilarity.score(NameKey(q), key) == expected)
                compared += 1
            }
        }
        #expect(compared > 5000)
    }

    @Test("The distance over buffers is the textbook one, transpositions included")
    func sameDistances() {
        for q in Self.queries {
            for n in Self.names {
                let a = Array(NameKey(q).compact.unicodeScalars), b = Array(NameKey(n).compact.unicodeScalars)
                #expect(NameSimilarity.levenshtein(a, b) == Self.referenceDistance(a, b), "\(q) / \(n)")
            }
        }
    }

    @Test(
        "The bit-parallel distance is the textbook one on every pair of short strings over small alphabets, and past 64 scalars")
    func bitParallelDistances() {
        // Every string up to `length` over each alphabet, against every other: small alphabets make
        // repeats and transpositions common, which is where the bit-vector algorithm could slip.
        func words(_ alphabet: [Unicode.Scalar], upTo length: Int) -> [[Unicode.Scalar]] {
            var all: [[Unicode.Scalar]] = [], last: [[Unicode.Scalar]] = [[]]
            for _ in 1...length {
                last = last.flatMap { w in alphabet.map { w + [$0] } }
                all += last
            }
            return all
        }
        let sets = [
            words(["a", "b"], upTo: 6), words(["a", "b", "c"], upTo: 4), words(["x", "ش", "ס"], upTo: 4),
            words(["a", "é", "ü", "ğ", "ß"], upTo: 3),
        ]
        var compared = 0
        for set in sets {
            let candidates = set.map { NameSimilarity.Candidate(NameKey(precomputed: String(String.UnicodeScalarView($0)))) }
            for a in set {
                let query = NameSimilarity.Query(NameKey(precomputed: String(String.UnicodeScalarView(a))))
                #expect(query.pattern != nil)
                for (b, candidate) in zip(set, candidates) {
                    let expected = Self.referenceDistance(a, b)
                    if NameSimilarity.distance(query, candidate) != expected {
                        Issue.record("\(String(String.UnicodeScalarView(a))) / \(String(String.UnicodeScalarView(b)))")
                    }
                    compared += 1
                }
            }
        }
        #expect(compared > 50_000)
        // 64 scalars fit one mask; 65 take the table.
        for length in [63, 64, 65, 90] {
            let a = (0..<length).map { alphabetAt($0) }, b = (0..<(length - 3)).map { alphabetAt($0 * 7) }
            let query = NameSimilarity.Query(NameKey(precomputed: String(String.UnicodeScalarView(a))))
            #expect((query.pattern != nil) == (length <= 64))
            let candidate = NameSimilarity.Candidate(NameKey(precomputed: String(String.UnicodeScalarView(b))))
            #expect(NameSimilarity.distance(query, candidate) == Self.referenceDistance(a, b), "length \(length)")
        }
    }

    func alphabetAt(_ i: Int) -> Unicode.Scalar { Unicode.Scalar(UInt8(ascii: "a") + UInt8(i % 5)) }
}
