import BDSCore
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

    public static func headline(_ level: VerdictLevel) -> String {
        switch level {
        case .listedConsumerBoycott: "LISTED: consumer boycott target"
        case .listedOther: "LISTED (not as a consumer boycott)"
        case .hintOnly: "HINT ONLY: a barcode prefix, not a listing"
        case .noListingFound: "NO LISTING FOUND"
        case .unknown: "UNKNOWN: not in the data"
        case .invalid: "INVALID INPUT"
        }
    }

    public static func render(_ v: Verdict, style: Style) -> String {
        var out: [String] = []
        let colour: String
        switch v.verdict {
        case .listedConsumerBoycott: colour = "1;31"
        case .listedOther: colour = "1;33"
        case .hintOnly: colour = "1;35"
        case .noListingFound: colour = "1;32"
        case .unknown, .invalid: colour = "1"
        }
        out.append(paint(headline(v.verdict), colour, style))
        out.append(v.summary)
        if let r = v.reading, r.form != .digits || r.symbology != nil || r.note != nil {
            out.append("  Read as   \(r.text)")
        }
        if let b = v.barcode {
            out.append("  Barcode   \(b.canonical) (\(b.format.rawValue)) · \(b.allocationLabel)")
        }
        if let p = v.product {
            var line = "  Product   \(p.name ?? "(no name)")"
            if let brand = p.brand { line += " · brand \(brand.name)" }
            out.append(line)
            if let url = p.sourceURL { out.append("            barcode source: \(url)\(p.retrieved.map { " (read \($0))" } ?? "")") }
        }
        if !v.owners.isEmpty {
            out.append("  Owners    " + v.owners.map { link in
                let share = link.percent.map { "\(LinkPath.format(percent: $0)) % " } ?? ""
                return "\(link.owned.name) → \(share)owned by \(link.owner.name)"
            }.joined(separator: "; "))
        }
        if !v.listings.isEmpty {
            out.append("")
            out.append(paint("Listings", "1", style))
            for m in v.listings { out += listingLines(m, ended: false) }
        }
        if !v.history.isEmpty {
            out.append("")
            out.append(paint("History (ended listings; not part of the verdict)", "2", style))
            for m in v.history { out += listingLines(m, ended: true) }
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
                out.append("    \(String(format: "%3.0f", c.score * 100)) %  \(shown)")
            }
        }
        return out.joined(separator: "\n")
    }

    static func listingLines(_ m: ListingMatch, ended: Bool) -> [String] {
        let l = m.listing
        var lines = ["  \(ended ? "○" : "●") \(l.campaign): \(l.category.label) · target: \(l.target.displayName)"]
        for reason in l.reasons { lines.append("      \(reason)") }
        if !m.path.links.isEmpty { lines.append("      linked by: \(m.path.text)") }
        var dates: [String] = []
        if let s = l.startDate { dates.append("listed since \(s)") }
        if let e = l.endDate { dates.append("ended \(e)\(l.endReason.map { ": \($0)" } ?? "")") }
        if !dates.isEmpty { lines.append("      " + dates.joined(separator: " · ")) }
        lines.append("      source: \(l.sourceURL) (read \(l.retrieved))")
        return lines
    }

    static func paint(_ s: String, _ code: String, _ style: Style) -> String {
        style.colour ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s
    }
}
