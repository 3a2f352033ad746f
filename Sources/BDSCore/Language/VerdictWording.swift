/// The words of an answer in one language: headlines, summaries, labels and hints, all from the
/// message catalogue. The rules decide; this file only words what they decided.
extension Headline {
    /// The headline for an answer led by a listing in this category, in `m`'s language.
    public static func forCategory(_ category: ListingCategory, in m: Messages) -> Headline {
        let kind: Kind =
            switch category {
            case .consumerBoycott: .consumerBoycott
            case .organic: .grassrootsBoycott
            case .pressure: .pressure
            case .divestment: .divestment
            case .unDatabase: .unDatabase
            case .other: .otherList
            }
        return Headline(kind: kind, text: m.text("headline.\(kind.rawValue)"))
    }

    /// "book code", "magazine code", …, in `m`'s language (see `nonProductCode(_:label:)`).
    public static func nonProductCode(_ allocation: String?, label: String, in m: Messages) -> String {
        let key =
            switch nonProductCode(allocation, label: label) {
            case "in-store code": "code.in-store"
            case "magazine code": "code.magazine"
            case "book code": "code.book"
            case "refund receipt": "code.refund"
            case "coupon code": "code.coupon"
            default: "code.not-a-product"
            }
        return m.text(key)
    }
}

extension Verdict {
    /// The headline a person reads first, in `m`'s language; see `Headline`.
    public func headline(in m: Messages) -> Headline {
        switch verdict {
        case .listedConsumerBoycott, .listedOther:
            let lead = listingsByRelevance.first(where: { $0.listing.isActive })?.listing.category ?? .other
            return Headline.forCategory(lead, in: m)
        case .ownsListed:
            return Headline(kind: .ownsListed, text: m.text("headline.owns-listed"))
        case .hintOnly:
            return Headline(kind: .hint, text: m.text("headline.hint"))
        case .noListingFound:
            return Headline(kind: .noListing, text: m.text("headline.no-listing"))
        case .unknown:
            if let b = barcode, !b.identifiesProduct {
                let what = Headline.nonProductCode(b.allocation, label: b.allocationLabel, in: m)
                return Headline(kind: .cannotCheck, text: m.text("headline.cannot-check", ["what": .text(what)]))
            }
            if !candidates.isEmpty { return Headline(kind: .unknown, text: m.text("headline.did-you-mean")) }
            return Headline(kind: .unknown, text: m.text("headline.unknown"))
        case .invalid:
            if let digit = problem?.expectedCheckDigit {
                return Headline(kind: .invalid, text: m.text("headline.mistyped", ["digit": .number(digit)]))
            }
            return Headline(
                kind: .invalid, text: m.text(kind == .barcode ? "headline.invalid-barcode" : "headline.invalid-input"))
        }
    }

    /// The answer's headline and summary (and the other sentences the answer words itself) in
    /// `m`'s language, for the `localized` member of the JSON answers.
    public func localized(in m: Messages) -> LocalizedAnswer {
        // In English the machine fields are these very texts, unless a right-to-left name needs isolating.
        if m.code == "en", !Bidi.containsRightToLeft(summary), !hints.contains(where: { Bidi.containsRightToLeft($0.text) }) {
            return LocalizedAnswer(
                lang: m.code, dir: m.direction.rawValue, headline: headline(in: m).text, summary: summary,
                allocationLabel: barcode?.allocationLabel, hints: hints.map(\.text), problem: problem?.message)
        }
        return LocalizedAnswer(
            lang: m.code, dir: m.direction.rawValue, headline: headline(in: m).text,
            summary: VerdictRules.summary(for: self, in: m),
            allocationLabel: barcode.map { $0.allocationLabel(in: m) },
            hints: hints.map { $0.text(for: self, in: m) },
            problem: problem.map { $0.text(in: m) }
        )
    }
}

/// What an answer says in the language it was asked in, beside the English machine fields.
public struct LocalizedAnswer: Codable, Sendable, Hashable {
    /// The language the words are in (`en` when the one asked for has no catalogue).
    public var lang: String
    /// `ltr` or `rtl`: the direction to lay the words out in.
    public var dir: String
    public var headline: String
    public var summary: String
    /// `barcode.allocationLabel` in this language.
    public var allocationLabel: String?
    /// `hints[].text` in this language, in the same order.
    public var hints: [String]
    /// `problem.message` in this language.
    public var problem: String?

    public init(
        lang: String, dir: String, headline: String, summary: String, allocationLabel: String?, hints: [String],
        problem: String?
    ) {
        self.lang = lang
        self.dir = dir
        self.headline = headline
        self.summary = summary
        self.allocationLabel = allocationLabel
        self.hints = hints
        self.problem = problem
    }
}

extension VerdictRules {
    /// One line that reports what the named sources say, without adding to it, in `m`'s language.
    public static func summary(for v: Verdict, in m: Messages) -> String {
        let subject = MessageArgument.name(subjectName(v))
        let query = MessageArgument.name(v.query)
        switch v.verdict {
        case .invalid:
            return m.text("summary.invalid", ["problem": .text(v.problem?.text(in: m) ?? m.text("summary.unusable"))])
        case .listedConsumerBoycott, .listedOther:
            let byCampaign = Dictionary(grouping: v.listings, by: { $0.listing.campaign })
            let parts = byCampaign.keys.sorted().map { campaign -> String in
                let cats = Set(byCampaign[campaign]!.map { $0.listing.category })
                    .sorted { $0.rawValue < $1.rawValue }.map { $0.label(in: m) }
                return m.text("summary.campaign", ["campaign": .name(campaign), "categories": .text(m.list(cats))])
            }
            return m.text(
                "summary.listed",
                ["subject": subject, "campaigns": .text(parts.joined(separator: m.text("list.group-separator")))])
        case .ownsListed:
            let names = Array(Set(v.owns.map { $0.listing.target.displayName(in: m) })).sorted()
            var shown = m.list(names.prefix(4).map(m.isolate))
            if names.count > 4 {
                shown = m.text("list.and-more", ["names": .text(shown), "count": .number(names.count - 4)])
            }
            return m.text("summary.owns-listed", ["subject": subject, "names": .text(shown), "count": .number(names.count)])
        case .hintOnly:
            let what = m.text(v.product == nil && v.matched.isEmpty ? "summary.product-not-in-data" : "summary.no-listing-found")
            return m.text(
                "summary.hint-only",
                [
                    "subject": subject, "what": .text(what),
                    "allocation": .text(v.barcode?.allocationLabel(in: m) ?? m.text("summary.hint")),
                ])
        case .noListingFound:
            return m.text("summary.no-listing", ["subject": subject])
        case .unknown:
            if let b = v.barcode, !b.identifiesProduct {
                return m.text("summary.cannot-check", ["query": query, "allocation": .text(b.allocationLabel(in: m))])
            }
            if !v.candidates.isEmpty {
                let names = v.candidates.prefix(3).map { c -> String in
                    let score = MessageArgument.number(Int((c.score * 100).rounded()))
                    guard let level = c.verdict else {
                        return m.text("summary.candidate", ["name": .name(c.matchedName), "score": score])
                    }
                    return m.text(
                        "summary.candidate-labelled",
                        ["name": .name(c.matchedName), "score": score, "label": .text(candidateLabel(level, in: m))])
                }
                return m.text("summary.did-you-mean", ["query": query, "names": .text(m.list(names))])
            }
            if let b = v.barcode {
                return m.text("summary.unknown-barcode", ["query": query, "allocation": .text(b.allocationLabel(in: m))])
            }
            return m.text("summary.unknown-name", ["query": query])
        }
    }

    /// A suggestion's would-be level in a few words, in `m`'s language.
    public static func candidateLabel(_ level: VerdictLevel, in m: Messages) -> String {
        m.text("candidate.\(level.rawValue)")
    }
}

extension ListingCategory {
    /// Words for a person reading the answer, in `m`'s language (`label` is the English).
    public func label(in m: Messages) -> String { m.text("category.\(rawValue)") }
}

extension ListingTarget {
    /// What the listing names, in `m`'s language: the entity's name, "product CODE", "GS1 company prefix P".
    public func displayName(in m: Messages) -> String {
        switch self {
        case .entity(let e): e.name
        case .product(let gtin): m.text("target.product", ["code": .name(gtin)])
        case .companyPrefix(let p): m.text("target.company-prefix", ["prefix": .name(p)])
        }
    }
}

extension LinkPath {
    /// "Sabra → 50 % owned by Strauss Group" in `m`'s language (the arrow points the way the
    /// language reads).
    public func text(in m: Messages) -> String {
        var parts = [m.isolate(start)]
        var current = start
        for link in links {
            let percent = link.percent.map { MessageArgument.number(Self.format(percent: $0)) }
            if link.owner.name == current, link.owned.name != current {
                let name = MessageArgument.name(link.owned.name)
                parts.append(
                    percent.map { m.text("path.owns-share", ["percent": $0, "name": name]) }
                        ?? m.text("path.owns", ["name": name]))
                current = link.owned.name
            } else {
                let name = MessageArgument.name(link.owner.name)
                parts.append(
                    percent.map { m.text("path.owned-by-share", ["percent": $0, "name": name]) }
                        ?? m.text("path.owned-by", ["name": name]))
                current = link.owner.name
            }
        }
        return parts.joined(separator: m.text("path.arrow"))
    }
}

extension Listing {
    /// "listed since 2025" or "on the list as read 2026-07-17", and for an ended listing when and
    /// why it ended, in `m`'s language. The end reason is the source's own words.
    public func datesText(in m: Messages) -> String {
        var parts: [String] = []
        if let s = startDate {
            parts.append(m.text("dates.listed-since", ["date": .name(s)]))
        } else {
            parts.append(m.text("dates.as-read", ["date": .name(retrieved)]))
        }
        if let e = endDate {
            parts.append(
                endReason.map { m.text("dates.ended-because", ["date": .name(e), "reason": .name($0)]) }
                    ?? m.text("dates.ended", ["date": .name(e)]))
        }
        return parts.joined(separator: m.text("list.dot-separator"))
    }
}

extension GS1Allocation {
    /// A short text for a shopper, in `m`'s language (`label` is the English).
    public func label(in m: Messages) -> String {
        switch self {
        case let .memberOrganisation(name): m.text("allocation.member-organisation", ["issuer": .name(name)])
        case .restrictedCirculation: m.text("allocation.restricted")
        case .issn: m.text("allocation.issn")
        case .isbnOrIsmn: m.text("allocation.isbn")
        case .refundReceipt: m.text("allocation.refund")
        case .coupon: m.text("allocation.coupon")
        case let .globalOffice(usage): m.text("allocation.special", ["usage": .name(usage)])
        case .unassigned: m.text("allocation.unassigned")
        }
    }
}

extension BarcodeInfo {
    /// `allocationLabel` in `m`'s language.
    public func allocationLabel(in m: Messages) -> String {
        GS1Allocation(usage: allocation ?? "").label(in: m)
    }
}

extension Hint {
    /// The hint's text in `m`'s language; a kind without a message keeps its English text.
    public func text(for v: Verdict, in m: Messages) -> String {
        guard kind == "gs1-prefix",
            case .memberOrganisation(let issuer)? = v.barcode.map({ GS1Allocation(usage: $0.allocation ?? "") })
        else { return text }
        return VerdictRules.issuerHintText(issuer: issuer, in: m)
    }
}

extension VerdictRules {
    /// The GS1 prefix caveat: where the number was issued, never who owns the brand or where the
    /// product was made. Every language says exactly this much.
    public static func issuerHintText(issuer: String, in m: Messages) -> String {
        m.text("hint.gs1-prefix", ["issuer": .name(issuer)])
    }
}

extension InputProblem {
    /// Why the input could not be used, in `m`'s language. English keeps the full advice of
    /// `message`; other languages say what the check digit should be, or that the input is not a
    /// usable barcode.
    public func text(in m: Messages) -> String {
        if m.code == "en" { return message }
        if let expected = expectedCheckDigit {
            if let code = correctedCode {
                return m.text("problem.check-digit-corrected", ["digit": .number(expected), "code": .name(code)])
            }
            return m.text("problem.check-digit", ["digit": .number(expected)])
        }
        return m.text("problem.not-usable")
    }
}

extension OwnershipLink {
    /// "Sabra → owned by PepsiCo (100 %, since 2024-12-03)": the share and dates when the source
    /// gives them. The answers and the build's contradiction records word a link with this alone.
    public func text(in m: Messages = .english) -> String {
        let names: [String: MessageArgument] = ["owned": .name(owned.name), "owner": .name(owner.name)]
        let terms = termsText(in: m)
        guard !terms.isEmpty else { return m.text("answer.ownership", names) }
        return m.text("answer.ownership-terms", names.merging(["terms": .text(terms)]) { a, _ in a })
    }

    /// "100 %, 2008 – 2024-12-03", "since 2024-12-03", "until 2024-12": the share and the dates as
    /// written (ISO), or "" when the source gives neither.
    public func termsText(in m: Messages = .english) -> String {
        var parts: [String] = []
        if let percent {
            parts.append(m.text("answer.terms.share", ["percent": .number(LinkPath.format(percent: percent))]))
        }
        switch (startDate, endDate) {
        case (let s?, let e?): parts.append(m.text("answer.terms.between", ["start": .name(s), "end": .name(e)]))
        case (let s?, nil): parts.append(m.text("answer.terms.since", ["date": .name(s)]))
        case (nil, let e?): parts.append(m.text("answer.terms.until", ["date": .name(e)]))
        case (nil, nil): break
        }
        return parts.joined(separator: m.text("list.separator"))
    }
}
