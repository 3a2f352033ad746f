/// Short names derived from a formal company name, so that a shopper typing "Bezeq" or
/// "Delta Galil" finds "Bezeq, the Israeli Telecommunications Corp. Ltd." or "Delta Galil
/// Industries Ltd.".
///
/// A short name is the name's leading distinctive words: everything before the first comma, then
/// before the first generic word ("Industries", "Group", "Holdings", "Marketing",
/// "Telecommunications", …), after legal forms are gone; for a core of three or more words, also
/// its first two words ("Rami Levy Hashikma Marketing Communication Ltd." → "Rami Levy Hashikma",
/// "Rami Levy"). A lone word of fewer than four letters is never a short name.
///
/// A short name is `strong` when the formal name itself sets it apart (before a comma: "Bezeq, the
/// Israeli …") or when it has two or more words; a single word cut before a generic word ("Delta"
/// of "Delta Israel Brands Ltd.", "Motorola" of "Motorola Solutions Inc.") is weak: many unrelated
/// companies bear such words, so it is only ever a suggestion. Whether a strong one matches is the
/// store's decision: only when no other entity has that name or derives it too (docs/IDENTITY.md).
public enum ShortName {
    public struct Derived: Sendable, Hashable {
        /// Normalised, as `NameKey` gives it.
        public var name: String
        public var strong: Bool

        public init(name: String, strong: Bool) {
            self.name = name
            self.strong = strong
        }
    }

    /// Words that describe a company's trade or structure rather than name it.
    public static let genericWords: Set<String> = [
        "industries", "industry", "group", "holdings", "holding", "marketing", "corporation", "telecommunications",
        "telecommunication", "communications", "communication", "solutions", "technologies", "technology",
        "international", "enterprises", "enterprise", "systems", "services", "products", "laboratories", "trading",
        "investments", "investment", "development", "developments", "properties", "construction", "engineering",
        "manufacturing", "worldwide", "global", "partners", "associates", "ventures", "management", "resources",
        "company", "companies", "israel", "israeli", "the",
    ]

    /// Words a short name may not end with ("Shikun & Binui" does not shorten to "Shikun and").
    static let connectors: Set<String> = [
        "and", "of", "for", "the", "de", "du", "des", "la", "le", "y", "et", "und", "van", "von", "di",
    ]

    /// Web-address endings written into company names ("Booking.com").
    static let domainEndings: Set<String> = ["com", "net", "org", "io", "co"]

    /// The normalised short names of `name`, longest first, none equal to the name's own key.
    public static func derive(from name: String) -> [String] { deriveWithStrength(from: name).map(\.name) }

    /// The short names of `name` with how far each may be trusted.
    public static func deriveWithStrength(from name: String) -> [Derived] {
        let parts = name.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false)
        let head = parts.first.map(String.init) ?? name
        let cutAtComma = parts.count > 1
        var words = NameKey(head).words.map(String.init)
        if words.count > 1, let last = words.last, domainEndings.contains(last) { words.removeLast() }
        if let cut = words.indices.dropFirst().first(where: { genericWords.contains(words[$0]) }) {
            words.removeSubrange(cut...)
        }
        var names: [[String]] = [words]
        if words.count >= 3 { names.append(Array(words.prefix(2))) }
        let own = NameKey(name).normalized
        var out: [Derived] = []
        for candidate in names {
            guard !candidate.isEmpty, !genericWords.contains(candidate[0]) || candidate.count > 1 else { continue }
            if candidate.count == 1, candidate[0].unicodeScalars.count < 4 { continue }
            if let last = candidate.last, connectors.contains(last) { continue }
            let joined = candidate.joined(separator: " ")
            let strong = candidate.count > 1 || (cutAtComma && candidate == words)
            if joined != own, !out.contains(where: { $0.name == joined }) { out.append(Derived(name: joined, strong: strong)) }
        }
        return out
    }
}
