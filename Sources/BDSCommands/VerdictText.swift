public import BDSCore
import Foundation

/// Renders a verdict as text for a person: the headline in words (colour only adds to it), then
/// each listing with its list, category, reason, dates, source and the path that links it.
public enum VerdictText {
    public struct Style: Sendable {
        public var colour: Bool

        public init(colour: Bool) {
            self.colour = colour
        }

        /// Colour when standard output is a terminal and NO_COLOR is not set.
        public static func forTerminal() -> Style {
            Style(colour: isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil)
        }
    }

    /// The headline for a verdict level alone; `headline(for:)` words it from the answer's listings.
    public static func headline(_ level: VerdictLevel) -> String {
        switch level {
        case .listedConsumerBoycott: Headline.forCategory(.consumerBoycott).text
        case .listedOther: "Named on a campaign list"
        case .ownsListed: Headline.ownsListed.text
        case .hintOnly: "Hint only: a barcode prefix, not a listing"
        case .noListingFound: "No listing found"
        case .unknown: "Unknown: not in the data"
        case .invalid: "Not a valid barcode or name"
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
        var out: [String] = []
        let headline = v.headline
        out.append(paint(headline.text, colour(headline.kind), style))
        out.append(v.summary)
        if let r = v.reading, r.form != .digits || r.symbology != nil || r.note != nil {
            out.append("  Read as   \(r.text)")
        }
        if let m = v.nameMatch, let formal = m.derivedFrom {
            out.append("  Matched   “\(m.alias)”, a short name derived from “\(formal)”")
        }
        if let b = v.barcode {
            out.append("  Barcode   \(b.canonical) (\(b.format.rawValue)) · \(b.allocationLabel)")
        }
        if let p = v.product {
            var line = "  Product   \(p.name ?? "(no name)")"
            if let brand = p.brand { line += " · brand \(brand.name)" }
            out.append(line)
            if let live = p.fetchedLive {
                out.append("            product data: \(live), fetched live on \(p.retrieved ?? "?") · \(p.sourceURL ?? "")")
            } else if let url = p.sourceURL {
                out.append("            barcode source: \(url)\(p.retrieved.map { " (read \($0))" } ?? "")")
            }
        }
        for (i, link) in v.owners.enumerated() {
            out.append("  \(i == 0 ? "Owners " : "       ")   \(ownershipText(link))\(claim(link))")
        }
        // Ended ownership is history: shown with who says so, carrying no listing.
        for (i, link) in v.formerOwners.enumerated() {
            out.append("  \(i == 0 ? "Formerly" : "        ")  \(ownershipText(link))\(claim(link))")
        }
        for c in v.ownershipContradictions {
            out.append("  Sources disagree: \(c.source) says \(c.claim)\(c.sourceURL.map { " (\($0))" } ?? "");")
            out.append("            \(c.againstSource) has \(c.against)\(c.againstSourceURL.map { " (\($0))" } ?? "")")
        }
        if !v.listings.isEmpty {
            out.append("")
            out.append(paint("Listings", "1", style))
            for m in v.listingsByRelevance { out += listingLines(m, ended: false) }
        }
        if !v.owns.isEmpty {
            out.append("")
            out.append(paint("Owns, and these are listed", "1", style))
            for m in v.owns { out += listingLines(m, ended: false, claims: true) }
        }
        if !v.alternatives.isEmpty {
            out.append("")
            out.append(paint("Alternatives (each the named source's suggestion, not bdscheck's)", "1", style))
            for a in v.alternatives { out += alternativeLines(a) }
        }
        if !v.history.isEmpty {
            out.append("")
            out.append(paint("History (ended listings; not part of the verdict)", "2", style))
            for m in v.history { out += listingLines(m, ended: true) }
        }
        let notes = v.notes
        if !notes.isEmpty {
            out.append("")
            out.append(paint("Notes", "1", style))
            for n in notes { out.append("  Note on \(n.subject): \(n.note)") }
        }
        for hint in v.hints {
            out.append("")
            out.append("  Hint: \(hint.text)")
        }
        if !v.candidates.isEmpty {
            out.append("")
            out.append("  Did you mean (suggestions, not verdicts):")
            for c in v.candidates {
                let shown = c.matchedName == c.entity.name ? c.entity.name : "\(c.matchedName) (\(c.entity.name))"
                let would = c.verdict.map { " — would be: \(VerdictText.headline($0).lowercased())" } ?? ""
                out.append("    \(String(format: "%3.0f", c.score * 100)) %  \(shown)\(would)")
            }
        }
        // Which data answered (signed snapshots): a stale kiosk shows that it is stale.
        if let data = v.data {
            out.append("")
            out.append("  Data      \(data.version.map { "version \($0) of " } ?? "built ")\(data.date ?? "an unknown date")")
        }
        return out.joined(separator: "\n")
    }

    /// "Sabra → owned by PepsiCo (100 %, since 2024-12-03)".
    static func ownershipText(_ link: OwnershipLink) -> String {
        let terms = link.termsText
        return "\(link.owned.name) → owned by \(link.owner.name)\(terms.isEmpty ? "" : " (\(terms))")"
    }

    /// " · source [ID]: URL (read DATE)" for an ownership link that names its source (ID as `bdscheck sources` lists it).
    static func claim(_ link: OwnershipLink) -> String {
        guard let url = link.sourceURL else { return "" }
        return " · source\(link.source.map { " [\($0)]" } ?? ""): \(url)\(link.retrieved.map { " (read \($0))" } ?? "")"
    }

    static func alternativeLines(_ a: Alternative) -> [String] {
        let what = a.entity.map { $0.name } ?? "“\(a.text ?? "")”"
        let scope = [a.category, a.region].compactMap { $0 }.joined(separator: ", ")
        var lines = ["  ○ instead of \(a.forEntity.name): \(what)\(scope.isEmpty ? "" : " (\(scope))")"]
        lines.append("      suggested by \(a.suggestedBy)")
        if let url = a.sourceURL { lines.append("      source: \(url)\(a.retrieved.map { " (read \($0))" } ?? "")") }
        return lines
    }

    static func listingLines(_ m: ListingMatch, ended: Bool, claims: Bool = false) -> [String] {
        let l = m.listing
        let category = Headline.forCategory(l.category).text
        var lines = ["  \(ended ? "○" : "●") \(l.campaign): \(category) · names: \(l.target.displayName)"]
        for reason in l.reasons { lines.append("      \(reason)") }
        if !m.path.links.isEmpty {
            lines.append("      linked by: \(m.path.text)")
            // Each step down is a claim of its own (steps up are under Owners): say who makes it.
            for link in m.path.links where claims && link.sourceURL != nil {
                lines.append("        \(ownershipText(link))\(claim(link))")
            }
        }
        lines.append("      " + l.datesText)
        lines.append("      source: \(l.sourceURL) (read \(l.retrieved))")
        for other in l.otherSources { lines.append("      also: \(other.sourceURL) (read \(other.retrieved))") }
        return lines
    }

    static func paint(_ s: String, _ code: String, _ style: Style) -> String {
        style.colour ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s
    }
}
