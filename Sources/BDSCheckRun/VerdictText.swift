public import BDSCore
import Foundation

/// Renders a verdict as text for a person: the headline in words (colour only adds to it), then
/// each listing with its list, category, reason, dates, source and the path that links it.
public enum VerdictText {
    public struct Style: Sendable {
        public var colour: Bool
        /// The language of the words (English by default; `Messages.forLanguage`).
        public var messages: Messages

        public init(colour: Bool, messages: Messages = .english) {
            self.colour = colour
            self.messages = messages
        }

        /// Colour when standard output is a terminal and NO_COLOR is not set.
        public static func forTerminal(messages: Messages = .english) -> Style {
            Style(
                colour: isatty(STDOUT_FILENO) == 1 && getenv("NO_COLOR") == nil, messages: messages)
        }
    }

    /// The headline for a verdict level alone; `headline(for:)` words it from the answer's listings.
    public static func headline(_ level: VerdictLevel, in m: Messages = .english) -> String {
        switch level {
        case .listedConsumerBoycott: m.text("headline.consumer-boycott")
        case .listedOther: m.text("headline.other-list")
        case .ownsListed: m.text("headline.owns-listed")
        case .hintOnly: m.text("headline.hint")
        case .noListingFound: m.text("headline.no-listing")
        case .unknown: m.text("headline.unknown")
        case .invalid: m.text("headline.invalid")
        }
    }

    /// The answer's headline, from the category of its leading listing (see `Headline`).
    public static func headline(for v: Verdict) -> String { v.headline.text }

    /// The ANSI colour of a headline on a terminal (words always come with it).
    static func colour(_ kind: Headline.Kind) -> String {
        switch kind {
        case .consumerBoycott: "1;31"
        case .grassrootsBoycott: "1;35"
        case .pressure, .divestment, .unDatabase, .otherList, .ownsListed: "1;33"
        case .hint: "1;34"
        case .noListing: "1;32"
        case .unknown, .cannotCheck, .invalid: "1"
        }
    }

    public static func render(_ v: Verdict, style: Style) -> String {
        let m = style.messages
        var out: [String] = []
        let headline = v.headline(in: m)
        out.append(paint(headline.text, colour(headline.kind), style))
        // English keeps the machine summary, unless a right-to-left name in it needs isolating.
        out.append(m.code == "en" && !Bidi.containsRightToLeft(v.summary) ? v.summary : VerdictRules.summary(for: v, in: m))
        // "  Barcode   …": the labels in one column, as wide as this language's longest.
        let labels = ["read-as", "matched", "barcode", "product", "owners", "formerly", "data"].map { m.text("cli.label.\($0)") }
        let width = max(9, labels.map(\.count).max() ?? 9) + 1
        func labelled(_ key: String, _ text: String, first: Bool = true) -> String {
            let label = first ? m.text("cli.label.\(key)") : ""
            return "  " + label + String(repeating: " ", count: max(1, width - label.count)) + text
        }
        if let r = v.reading, r.form != .digits || r.symbology != nil || r.note != nil {
            out.append(labelled("read-as", m.isolate(r.text)))
        }
        if let match = v.nameMatch, let formal = match.derivedFrom {
            out.append(labelled("matched", m.text("answer.short-name", ["alias": .name(match.alias), "formal": .name(formal)])))
        }
        if let b = v.barcode {
            let args: [String: MessageArgument] = [
                "code": .name(b.canonical), "format": .name(b.format.rawValue), "allocation": .text(b.allocationLabel(in: m)),
            ]
            out.append(labelled("barcode", m.text("answer.barcode", args)))
        }
        if let p = v.product {
            let name = p.name.map { m.isolate($0) } ?? m.text("answer.no-name")
            let line =
                p.brand.map { m.text("answer.product-with-brand", ["product": .text(name), "brand": .name($0.name)]) } ?? name
            out.append(labelled("product", line))
            if let live = p.fetchedLive {
                out.append(
                    String(repeating: " ", count: width + 2)
                        + m.text(
                            "answer.product-live",
                            ["source": .name(live), "date": .name(p.retrieved ?? "?"), "url": .name(p.sourceURL ?? "")]))
            } else if let url = p.sourceURL {
                out.append(
                    String(repeating: " ", count: width + 2)
                        + m.text("cli.barcode-source", ["source": .text(read(url, p.retrieved, m))]))
            }
        }
        // The source's own words about a link go under it: "owned by" alone would hide that a
        // shareholder is a minority one, or that a name is only licensed.
        let indent = String(repeating: " ", count: width + 2)
        for (i, link) in v.owners.enumerated() {
            out.append(labelled("owners", link.text(in: m) + claim(link, m), first: i == 0))
            if let note = link.note { out.append(indent + "  " + m.isolate(note)) }
        }
        // Ended ownership is history: shown with who says so, carrying no listing.
        for (i, link) in v.formerOwners.enumerated() {
            out.append(labelled("formerly", link.text(in: m) + claim(link, m), first: i == 0))
            if let note = link.note { out.append(indent + "  " + m.isolate(note)) }
        }
        // Two sources that cannot both be right: each side's words as the store recorded them.
        for c in v.ownershipContradictions {
            let args: [String: MessageArgument] = [
                "source": .name(c.source), "claim": .text(m.isolate(c.claim)), "other": .name(c.againstSource),
                "against": .text(m.isolate(c.against)),
            ]
            out.append("  " + m.text("answer.contradiction", args))
            for (id, url) in [(c.source, c.sourceURL), (c.againstSource, c.againstSourceURL)] {
                guard let url else { continue }
                out.append(
                    String(repeating: " ", count: width + 2)
                        + m.text("answer.source-of", ["id": .name(id), "source": .name(url)]))
            }
        }
        if !v.listings.isEmpty {
            out.append("")
            out.append(paint(m.text("cli.section.listings"), "1", style))
            for match in v.listingsByRelevance { out += listingLines(match, ended: false, m) }
        }
        if !v.owns.isEmpty {
            out.append("")
            out.append(paint(m.text("cli.section.owns"), "1", style))
            for match in v.owns { out += listingLines(match, ended: false, claims: true, m) }
        }
        if !v.alternatives.isEmpty {
            out.append("")
            out.append(paint(m.text("cli.section.alternatives"), "1", style))
            for a in v.alternatives { out += alternativeLines(a, m) }
        }
        if !v.history.isEmpty {
            out.append("")
            out.append(paint(m.text("cli.section.history"), "2", style))
            for match in v.history { out += listingLines(match, ended: true, m) }
        }
        let notes = v.notes
        if !notes.isEmpty {
            out.append("")
            out.append(paint(m.text("cli.section.notes"), "1", style))
            // A note is the data's own words, shown as written.
            for n in notes { out.append("  " + m.text("answer.note", ["subject": .name(n.subject), "note": .name(n.note)])) }
        }
        for hint in v.hints {
            out.append("")
            out.append("  " + m.text("answer.hint", ["hint": .text(hint.text(for: v, in: m))]))
        }
        if !v.candidates.isEmpty {
            out.append("")
            out.append("  " + m.text("cli.section.did-you-mean"))
            for c in v.candidates {
                let shown = c.matchedName == c.entity.name ? c.entity.name : "\(c.matchedName) (\(c.entity.name))"
                let would = c.verdict.map { level in
                    // English keeps the headline's words; other languages their suggestion labels.
                    let words =
                        m.code == "en" ? VerdictText.headline(level).lowercased() : VerdictRules.candidateLabel(level, in: m)
                    return " — " + m.text("answer.would-be", ["level": .text(words)])
                }
                let score = m.catalogue.digits.write(String(format: "%3.0f", c.score * 100))
                out.append("    \(score) %  \(m.isolate(shown))\(would ?? "")")
            }
        }
        // Which data answered (signed snapshots): a stale kiosk shows that it is stale.
        if let data = v.data {
            out.append("")
            let date = data.date.map { MessageArgument.name($0) } ?? .text(m.text("answer.data-unknown-date"))
            let text =
                data.version.map { m.text("answer.data-version", ["version": .number(String($0)), "date": date]) }
                ?? m.text("answer.data-built", ["date": date])
            out.append(labelled("data", text))
        }
        return out.joined(separator: "\n")
    }

    /// "URL (read DATE)", or the URL alone when the date is not known.
    static func read(_ url: String, _ retrieved: String?, _ m: Messages) -> String {
        guard let retrieved else { return m.isolate(url) }
        return m.text("answer.read", ["url": .name(url), "date": .name(retrieved)])
    }

    /// " · source [ID]: URL (read DATE)" for an ownership link that names its source (ID as `bdscheck sources` lists it).
    static func claim(_ link: OwnershipLink, _ m: Messages = .english) -> String {
        guard let url = link.sourceURL else { return "" }
        let source = read(url, link.retrieved, m)
        let said =
            link.source.map { m.text("answer.source-of", ["id": .name($0), "source": .text(source)]) }
            ?? m.text("answer.source", ["source": .text(source)])
        return m.text("list.dot-separator") + said
    }

    static func alternativeLines(_ a: Alternative, _ m: Messages = .english) -> [String] {
        let what = a.entity.map { $0.name } ?? "“\(a.text ?? "")”"
        let scope = [a.category, a.region].compactMap { $0 }.joined(separator: ", ")
        let suggestion = m.isolate(what) + (scope.isEmpty ? "" : " (\(m.isolate(scope)))")
        var lines = ["  ○ " + m.text("answer.instead-of", ["entity": .name(a.forEntity.name), "suggestion": .text(suggestion)])]
        lines.append("      " + m.text("answer.suggested-by", ["source": .name(a.suggestedBy)]))
        if let url = a.sourceURL {
            lines.append("      " + m.text("answer.source", ["source": .text(read(url, a.retrieved, m))]))
        }
        return lines
    }

    static func listingLines(_ match: ListingMatch, ended: Bool, claims: Bool = false, _ m: Messages = .english) -> [String] {
        let l = match.listing
        let category = Headline.forCategory(l.category, in: m).text
        let head = m.text("answer.listing", ["campaign": .name(l.campaign), "category": .text(category)])
        let names = m.text("answer.names", ["target": .name(l.target.displayName(in: m))])
        var lines = ["  \(ended ? "○" : "●") " + head + m.text("list.dot-separator") + names]
        // Reasons are the source's own words, shown as written (isolated in its own direction).
        for reason in l.reasons { lines.append("      \(m.isolate(reason))") }
        if !match.path.links.isEmpty {
            lines.append("      " + m.text("answer.linked-by", ["path": .text(match.path.text(in: m))]))
            // Each step down is a claim of its own (steps up are under Owners): say who makes it.
            for link in match.path.links where claims && link.sourceURL != nil {
                lines.append("        \(link.text(in: m))\(claim(link, m))")
            }
        }
        lines.append("      " + l.datesText(in: m))
        lines.append("      " + m.text("answer.source", ["source": .text(read(l.sourceURL, l.retrieved, m))]))
        for other in l.otherSources {
            lines.append("      " + m.text("answer.also", ["source": .text(read(other.sourceURL, other.retrieved, m))]))
        }
        return lines
    }

    static func paint(_ s: String, _ code: String, _ style: Style) -> String {
        style.colour ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s
    }
}
