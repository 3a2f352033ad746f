/// Scores how closely a typed name resembles a known one, for "did you mean" suggestions.
///
/// The score compares whole names, never substrings: "fitness" against "planet fitness" scores
/// low, because a short common word inside a longer name is not evidence of anything.
public enum NameSimilarity {
    /// Candidates at or above this score are offered as suggestions.
    public static let suggestionThreshold = 0.75
    /// Typed names shorter than this (compact, in characters) get no fuzzy suggestions at all.
    public static let minimumFuzzyLength = 4

    /// A typed name with what scoring needs from it worked out once, for scoring many candidates.
    public struct Query: Sendable {
        public let key: NameKey
        let scalars: [Unicode.Scalar]
        let words: [Substring]
        let compactLength: Int

        public init(_ key: NameKey) {
            self.key = key
            let compact = key.compact
            scalars = Array(compact.unicodeScalars)
            words = key.words
            compactLength = compact.count
        }
    }

    /// 0…1, where 1 means equal compact forms.
    public static func score(_ query: NameKey, _ candidate: NameKey) -> Double {
        score(Query(query), candidate)
    }

    public static func score(_ query: Query, _ candidate: NameKey) -> Double {
        let a = query.scalars
        let candidateCompact = candidate.compact
        let b = Array(candidateCompact.unicodeScalars)
        guard !a.isEmpty, !b.isEmpty else { return 0 }
        if a == b { return 1 }
        let distance = levenshtein(a, b)
        let ratio = 1 - Double(distance) / Double(max(a.count, b.count))
        // The typed name's words all present, in order, at the start of the known name
        // ("sabra" for "sabra dipping co") count for a little, scaled by how much of it they cover.
        let qw = query.words, cw = candidate.words
        var prefixBonus = 0.0
        if qw.count < cw.count, Array(cw.prefix(qw.count)) == qw, query.compactLength >= minimumFuzzyLength {
            prefixBonus = 0.6 * Double(query.compactLength) / Double(candidateCompact.count) + 0.2
        }
        return max(ratio, prefixBonus)
    }

    /// Edit distance with unit costs; transposed neighbours count as one edit.
    public static func levenshtein(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prevPrev = [Int](repeating: 0, count: b.count + 1)
        var prev = Array(0...b.count)
        var cur = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            cur[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    v = min(v, prevPrev[j - 2] + 1)
                }
                cur[j] = v
            }
            (prevPrev, prev, cur) = (prev, cur, prevPrev)
        }
        return prev[b.count]
    }
}
