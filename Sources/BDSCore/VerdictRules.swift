/// The rules that turn what the store found into one verdict level and a neutral sentence: the
/// one place that splits active listings from history, decides the level and words the summary.
public enum VerdictRules {
    /// The verdict the facts support, and nothing more.
    public static func verdict(from facts: LookupFacts) -> Verdict {
        var hints: [Hint] = []
        if let allocation = facts.allocation, allocation.isProductLookupAllowed, let hint = issuerHint(for: allocation) {
            hints.append(hint)
        }
        let active = cards(facts.reached.filter { $0.listing.isActive })
        let history = cards(facts.reached.filter { !$0.listing.isActive })
        let candidates = facts.candidates.filter { $0.score >= NameSimilarity.suggestionThreshold }
        let owns = cards(facts.ownedReached.filter { $0.listing.isActive })
        var level = level(
            problem: facts.problem, activeListings: active, hints: hints,
            known: facts.product != nil || !facts.matched.isEmpty
        )
        // An owner of listed companies or brands is never shown as clean.
        if !owns.isEmpty, [.noListingFound, .hintOnly].contains(level) { level = .ownsListed }
        var verdict = Verdict(
            query: facts.query, kind: facts.kind, verdict: level, summary: "", barcode: facts.barcode,
            product: facts.product, matched: facts.matched, owners: facts.owners.filter(\.isActive), listings: active,
            history: history,
            owns: owns, nameMatch: facts.nameMatch, hints: hints, candidates: candidates, problem: facts.problem
        )
        verdict.reading = facts.reading
        // Ended ownership is history, as ended listings are.
        verdict.formerOwners = facts.owners.filter { !$0.isActive }
        verdict.ownershipContradictions = facts.ownershipContradictions
        // Alternatives answer "what instead?": only a listed answer asks it.
        if [.listedConsumerBoycott, .listedOther].contains(level) { verdict.alternatives = facts.alternatives }
        verdict.summary = summary(for: verdict)
        return verdict
    }

    /// One card per thing said: rows that name the same target through the same path, for the same
    /// campaign and category, with the same dates, become the first of them, carrying the others'
    /// sources and every reason any of them gives. (The community dataset lists some names both as
    /// a brand and as a company; two definitions of one campaign may both be loaded.) Order is kept.
    public static func cards(_ matches: [ListingMatch]) -> [ListingMatch] {
        guard matches.count > 1 else { return matches }
        struct Key: Hashable {
            let target: ListingTarget
            let campaign: String
            let category: ListingCategory
            let startDate: String?
            let endDate: String?
            let path: LinkPath
        }
        var out: [ListingMatch] = []
        var index: [Key: Int] = [:]
        for m in matches {
            let l = m.listing
            let key = Key(
                target: l.target, campaign: l.campaign, category: l.category, startDate: l.startDate, endDate: l.endDate,
                path: m.path)
            guard let i = index[key] else {
                index[key] = out.count
                out.append(m)
                continue
            }
            var card = out[i].listing
            // The same page, written with or without a trailing slash, is one source.
            func page(_ url: String) -> Substring { url.hasSuffix("/") ? url.dropLast() : url[...] }
            let known = Set(([card.sourceURL] + card.otherSources.map(\.sourceURL)).map(page))
            if !known.contains(page(l.sourceURL)) || card.retrieved != l.retrieved {
                card.otherSources.append(ListingSource(id: l.id, sourceURL: l.sourceURL, retrieved: l.retrieved))
            }
            for r in l.reasons where !card.reasons.contains(r) { card.reasons.append(r) }
            if card.endReason == nil { card.endReason = l.endReason }
            out[i].listing = card
        }
        return out
    }

    /// GS1 Member Organisations whose barcodes earn a labelled hint (never a verdict).
    public static let hintIssuers: Set<String> = ["GS1 Israel"]

    /// The hint for a barcode's issuer, if it is one of `hintIssuers`.
    public static func issuerHint(for allocation: GS1Allocation) -> Hint? {
        guard case .memberOrganisation(let issuer) = allocation, hintIssuers.contains(issuer) else { return nil }
        return Hint(kind: "gs1-prefix", text: issuerHintText(issuer: issuer, in: .machine))
    }

    static func level(problem: InputProblem?, activeListings active: [ListingMatch], hints: [Hint], known: Bool) -> VerdictLevel {
        if problem != nil { return .invalid }
        if active.contains(where: { $0.listing.category == .consumerBoycott }) { return .listedConsumerBoycott }
        if !active.isEmpty { return .listedOther }
        if !hints.isEmpty { return .hintOnly }
        return known ? .noListingFound : .unknown
    }

    /// One line that reports what the named sources say, without adding to it (English, as the
    /// machine-readable `summary`; `summary(for:in:)` words it in another language).
    static func summary(for v: Verdict) -> String { summary(for: v, in: .machine) }

    /// A suggestion's would-be level in a few words.
    static func candidateLabel(_ level: VerdictLevel) -> String { candidateLabel(level, in: .machine) }

    static func subjectName(_ v: Verdict) -> String {
        if let p = v.product {
            var name = p.name ?? ""
            if let brand = p.brand?.name, !nameStarts(name, with: brand) {
                name = name.isEmpty ? brand : "\(brand) \(name)"
            }
            return name.isEmpty ? p.gtin : "\(name) (\(p.gtin))"
        }
        if !v.matched.isEmpty { return v.matched.map(\.name).joined(separator: " / ") }
        return v.query
    }

    /// Whether a product's name already begins with its brand ("Sabra Hummus" and "Sabra"), as
    /// their name keys say. Every barcode answer with a product asks this, and full normalisation of
    /// both names measured about a quarter of an in-process barcode verdict at 5 M products
    /// (docs/PERFORMANCE.md, "Identity at scale"), so plain ASCII names are decided without it when
    /// the answer is certain: the name is the brand, any case, then a non-letter (for a brand not
    /// starting with "The"); or their first letters or digits differ (after a leading "The").
    /// Anything else goes to `NameKey`; `NameStartsTests` checks the two agree.
    public static func nameStarts(_ name: String, with brand: String) -> Bool {
        let n = name.utf8, b = brand.utf8
        if n.allSatisfy({ $0 < 0x80 }) && b.allSatisfy({ $0 < 0x80 }) {
            // A brand that begins with the word "The" keeps it in its key only when it is the whole
            // name, so such brands always take the long way.
            let startsWithThe =
                b.count >= 3 && b.prefix(3).map(lowerASCII).elementsEqual("the".utf8)
                && (b.count == 3 || !isAlnumASCII(b[b.index(b.startIndex, offsetBy: 3)]))
            if !startsWithThe, n.count >= b.count, !b.isEmpty,
                zip(n, b).allSatisfy({ lowerASCII($0) == lowerASCII($1) }),
                n.count == b.count || !isAlnumASCII(n[n.index(n.startIndex, offsetBy: b.count)])
            {
                return true
            }
            if let x = firstKeyByte(n), let y = firstKeyByte(b), x != y { return false }
        }
        return NameKey(name).normalized.hasPrefix(NameKey(brand).normalized)
    }

    @inline(__always) static func lowerASCII(_ c: UInt8) -> UInt8 { c >= 0x41 && c <= 0x5A ? c | 0x20 : c }

    @inline(__always) static func isAlnumASCII(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
    }

    /// The first letter or digit of an ASCII name as its key starts (lowercase, after a leading
    /// "the "); nil when a leading `&` or `+` would be spelled out, or nothing is left.
    static func firstKeyByte(_ s: String.UTF8View) -> UInt8? {
        var bytes = s.drop { !isAlnumASCII($0) && $0 != UInt8(ascii: "&") && $0 != UInt8(ascii: "+") }
        guard let first = bytes.first, isAlnumASCII(first) else { return nil }
        let word = bytes.prefix { isAlnumASCII($0) }
        if word.count == 3, word.map(lowerASCII).elementsEqual("the".utf8) {
            bytes = bytes.dropFirst(3).drop { !isAlnumASCII($0) && $0 != UInt8(ascii: "&") && $0 != UInt8(ascii: "+") }
            guard let next = bytes.first else { return nil }
            return isAlnumASCII(next) ? lowerASCII(next) : nil
        }
        return lowerASCII(first)
    }
}
