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
        let compactLength: Int

        public init(_ key: NameKey) {
            self.key = key
            let compact = key.compact
            scalars = Array(compact.unicodeScalars)
            compactLength = compact.count
        }
    }

    /// A known name with what scoring needs from it worked out once: kept by the server's name
    /// index for every alias, so that a search scores its hundred candidates without building a
    /// string or an array for each: search p50 0.40 → 0.22 ms on the 1 M-product store with this and
    /// the stack-allocated distance below (lookup-bench, docs/PERFORMANCE.md, "Search").
    public struct Candidate: Sendable {
        public let key: NameKey
        let compact: String
        let scalarCount: Int

        public init(_ key: NameKey) {
            self.key = key
            compact = key.compact
            scalarCount = compact.unicodeScalars.count
        }
    }

    /// 0…1, where 1 means equal compact forms.
    public static func score(_ query: NameKey, _ candidate: NameKey) -> Double {
        score(Query(query), Candidate(candidate))
    }

    public static func score(_ query: Query, _ candidate: NameKey) -> Double {
        score(query, Candidate(candidate))
    }

    public static func score(_ query: Query, _ candidate: Candidate) -> Double {
        guard !query.scalars.isEmpty, candidate.scalarCount > 0 else { return 0 }
        // The candidate's scalars in a buffer on the stack, compared there.
        let distance = withUnsafeTemporaryAllocation(of: Unicode.Scalar.self, capacity: candidate.scalarCount) { b in
            var i = 0
            for scalar in candidate.compact.unicodeScalars {
                b[i] = scalar
                i += 1
            }
            return query.scalars.withUnsafeBufferPointer { a in levenshtein(a, UnsafeBufferPointer(b)) }
        }
        // Distance 0 is equal compact forms.
        if distance == 0 { return 1 }
        let ratio = 1 - Double(distance) / Double(max(query.scalars.count, candidate.scalarCount))
        // The typed name's words all present, in order, at the start of the known name
        // ("sabra" for "sabra dipping co") count for a little, scaled by how much of it they cover.
        // Normalised names are words joined by single spaces, so that is the typed name and a space
        // at the start of the known one.
        var prefixBonus = 0.0
        let typed = query.key.normalized.utf8, known = candidate.key.normalized.utf8
        if query.compactLength >= minimumFuzzyLength, known.count > typed.count, known.starts(with: typed),
            known[known.index(known.startIndex, offsetBy: typed.count)] == UInt8(ascii: " ")
        {
            // In characters, counted here: few names meet the condition.
            prefixBonus = 0.6 * Double(query.compactLength) / Double(candidate.compact.count) + 0.2
        }
        return max(ratio, prefixBonus)
    }

    /// Edit distance with unit costs; transposed neighbours count as one edit.
    public static func levenshtein(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in levenshtein(a, b) } }
    }

    /// The same, over buffers, with its three rows on the stack: no allocation per call.
    static func levenshtein(_ a: UnsafeBufferPointer<Unicode.Scalar>, _ b: UnsafeBufferPointer<Unicode.Scalar>) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        let width = b.count + 1
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: 3 * width) { rows in
            var prevPrev = rows.baseAddress!
            var prev = prevPrev + width
            var cur = prev + width
            for j in 0...b.count {
                prevPrev[j] = 0
                prev[j] = j
            }
            for i in 1...a.count {
                cur[0] = i
                let ai = a[i - 1]
                for j in 1...b.count {
                    let cost = ai == b[j - 1] ? 0 : 1
                    var v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
                    if i > 1, j > 1, ai == b[j - 2], a[i - 2] == b[j - 1] {
                        v = min(v, prevPrev[j - 2] + 1)
                    }
                    cur[j] = v
                }
                (prevPrev, prev, cur) = (prev, cur, prevPrev)
            }
            return prev[b.count]
        }
    }
}
