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
        /// The typed name as bit masks, for the bit-parallel distance (nil beyond 64 scalars).
        let pattern: Pattern?

        public init(_ key: NameKey) {
            self.key = key
            let compact = key.compact
            scalars = Array(compact.unicodeScalars)
            compactLength = compact.count
            pattern = Pattern(scalars)
        }
    }

    /// A typed name of at most 64 scalars as one bit mask per distinct scalar (bit i: the scalar is
    /// at position i), for the optimal-string-alignment distance of Hyyrö's bit-vector algorithm
    /// ("A Bit-Vector Algorithm for Computing Levenshtein and Damerau Edit Distances", 2003): one
    /// step of a dozen word operations per scalar of the known name, where the table below fills
    /// a row of cells. The table was 11 % of the server's time under a search load (perf, the
    /// `http.sh` search workload); the two agree on every pair `NameSimilarityTests` tries.
    struct Pattern: Sendable {
        /// Masks of the ASCII scalars, by value; the others in a short list.
        let ascii: [UInt64]
        let other: [(scalar: UInt32, mask: UInt64)]
        let count: Int

        init?(_ scalars: [Unicode.Scalar]) {
            guard !scalars.isEmpty, scalars.count <= 64 else { return nil }
            var ascii = [UInt64](repeating: 0, count: 128)
            var other: [(scalar: UInt32, mask: UInt64)] = []
            for (i, scalar) in scalars.enumerated() {
                let bit: UInt64 = 1 << UInt64(i)
                if scalar.value < 128 {
                    ascii[Int(scalar.value)] |= bit
                } else if let k = other.firstIndex(where: { $0.scalar == scalar.value }) {
                    other[k].mask |= bit
                } else {
                    other.append((scalar.value, bit))
                }
            }
            self.ascii = ascii
            self.other = other
            count = scalars.count
        }

        /// The distance from the typed name to `text`, as `levenshtein` gives it.
        func distance(to text: String.UnicodeScalarView) -> Int {
            ascii.withUnsafeBufferPointer { ascii in
                var vp: UInt64 = ~0, vn: UInt64 = 0, d0: UInt64 = 0, previous: UInt64 = 0
                var distance = count
                let last: UInt64 = 1 << UInt64(count - 1)
                for scalar in text {
                    let v = scalar.value
                    let pm: UInt64
                    if v < 128 {
                        pm = ascii[Int(v)]
                    } else {
                        pm = other.first(where: { $0.scalar == v })?.mask ?? 0
                    }
                    // Transpositions: a match here whose neighbour matched the step before.
                    let transposed = ((~d0 & pm) << 1) & previous
                    d0 = (((pm & vp) &+ vp) ^ vp) | pm | vn | transposed
                    var hp = vn | ~(d0 | vp)
                    var hn = d0 & vp
                    if hp & last != 0 {
                        distance += 1
                    } else if hn & last != 0 {
                        distance -= 1
                    }
                    hp = (hp << 1) | 1
                    hn = hn << 1
                    vp = hn | ~(d0 | hp)
                    vn = hp & d0
                    previous = pm
                }
                return distance
            }
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
        let distance = distance(query, candidate)
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

    /// The distance by the table below, for a typed name too long for one bit mask: the
    /// candidate's scalars in a buffer on the stack, compared there.
    static func distanceByTable(_ query: Query, _ candidate: Candidate) -> Int {
        withUnsafeTemporaryAllocation(of: Unicode.Scalar.self, capacity: candidate.scalarCount) { b in
            var i = 0
            for scalar in candidate.compact.unicodeScalars {
                b[i] = scalar
                i += 1
            }
            return query.scalars.withUnsafeBufferPointer { a in levenshtein(a, UnsafeBufferPointer(b)) }
        }
    }

    /// The bit-parallel distance when the typed name fits one mask, else the table's.
    public static func distance(_ query: Query, _ candidate: Candidate) -> Int {
        guard let pattern = query.pattern else { return distanceByTable(query, candidate) }
        return pattern.distance(to: candidate.compact.unicodeScalars)
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
