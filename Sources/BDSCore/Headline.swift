import Foundation

/// The headline of an answer: what a shopper reads first, worded from the campaigns' own terms.
///
/// A listed answer is headed by the category of its most shopper-relevant active listing, so a
/// grassroots boycott reads "Grassroots boycott target", never a vague "listed (not as a consumer
/// boycott)". Codes that name no product (books, magazines, in-store codes, coupons) read
/// "Cannot be checked: …" rather than "unknown". The kiosk page words its headlines the same way.
public struct Headline: Sendable, Hashable {
    /// What kind of answer it is; the kiosk's colours and icons follow it.
    public enum Kind: String, Sendable, CaseIterable {
        case consumerBoycott = "consumer-boycott"
        case grassrootsBoycott = "grassroots-boycott"
        case pressure
        case divestment
        case unDatabase = "un-database"
        case otherList = "other-list"
        case ownsListed = "owns-listed"
        case hint
        case noListing = "no-listing"
        case unknown
        case cannotCheck = "cannot-check"
        case invalid
    }

    public var kind: Kind
    public var text: String

    public init(kind: Kind, text: String) {
        self.kind = kind
        self.text = text
    }

    /// Listing categories, most relevant to a shopper first: calls not to buy, then campaigns
    /// against the company, then lists of record.
    public static let categoryOrder: [ListingCategory] = [
        .consumerBoycott, .organic, .pressure, .divestment, .unDatabase, .other,
    ]

    /// The headline for an answer led by a listing in this category, in English.
    public static func forCategory(_ category: ListingCategory) -> Headline { forCategory(category, in: .english) }

    /// The headline of an owner whose companies or brands are listed while nothing lists it.
    public static var ownsListed: Headline { Headline(kind: .ownsListed, text: Messages.english.text("headline.owns-listed")) }

    /// "book code", "magazine code", …: what a code that names no product is.
    public static func nonProductCode(_ allocation: String?, label: String) -> String {
        let text = (allocation ?? label).lowercased()
        if text.contains("restricted") { return "in-store code" }
        if text.contains("issn") || text.contains("serial") { return "magazine code" }
        if text.contains("isbn") || text.contains("ismn") || text.contains("bookland") || text.contains("book") {
            return "book code"
        }
        if text.contains("refund") { return "refund receipt" }
        if text.contains("coupon") { return "coupon code" }
        return "not a product code"
    }
}

extension Verdict {
    /// The active listings, most shopper-relevant category first (stable within a category).
    public var listingsByRelevance: [ListingMatch] {
        listings.enumerated().sorted { a, b in
            let ra = Headline.categoryOrder.firstIndex(of: a.element.listing.category) ?? Int.max
            let rb = Headline.categoryOrder.firstIndex(of: b.element.listing.category) ?? Int.max
            return ra != rb ? ra < rb : a.offset < b.offset
        }.map(\.element)
    }

    /// The headline a person reads first, in English; see `Headline` and `headline(in:)`.
    public var headline: Headline { headline(in: .english) }

    /// Notes the data carries on the entities an answer names (a licence that is not ownership,
    /// a brand word that is also a kosher-certification term), each once, with whom it is about.
    public var notes: [(subject: String, note: String)] {
        var entities: [EntityRef] = []
        if let brand = product?.brand { entities.append(brand) }
        entities += matched
        for link in owners { entities += [link.owned, link.owner] }
        for m in listings + history {
            if case .entity(let e) = m.listing.target { entities.append(e) }
        }
        var seen = Set<Int64>()
        var out: [(subject: String, note: String)] = []
        for e in entities where seen.insert(e.id).inserted {
            if let note = e.note?.trimmingCharacters(in: .whitespacesAndNewlines), !note.isEmpty {
                out.append((e.name, note))
            }
        }
        return out
    }
}

extension Listing {
    /// "listed since 2025", or for a source without a start date "on the list as read 2026-07-17";
    /// an ended listing adds when and why it ended.
    public var datesText: String { datesText(in: .english) }
}
