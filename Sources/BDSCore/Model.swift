/// The kinds of list a listing can come from. They are never merged into one "target" label.
public enum ListingCategory: String, Codable, Sendable, CaseIterable {
    /// Brands a campaign asks everyone to stop buying.
    case consumerBoycott = "consumer-boycott"
    /// Companies institutions are asked to exclude from procurement and investment.
    case divestment
    /// Companies targeted by pressure campaigns (lobbying, disruption, boycotts where alternatives exist).
    case pressure
    /// Grassroots boycotts a campaign did not start but supports.
    case organic
    /// The UN OHCHR database of business enterprises involved in listed activities in settlements.
    case unDatabase = "un-database"
    case other

    /// Words for a person reading the answer.
    public var label: String {
        switch self {
        case .consumerBoycott: "consumer boycott"
        case .divestment: "divestment / exclusion"
        case .pressure: "pressure campaign"
        case .organic: "organic (grassroots) boycott"
        case .unDatabase: "UN database of businesses in settlements"
        case .other: "other list"
        }
    }
}

/// How the names an import emit references may join entities other sources made (docs/IDENTITY.md).
///
/// `link = "create"` (the default): names join entities of the same name.
/// `link = "match-only"`: for product exports and other weaker sources; a brand joins an existing
/// entity of that name only when the record's owner does not contradict the owners on record
/// (else it stays a separate namesake), and an ownership row never adds an owner to an entity
/// that another source already gives owners (it is reported instead).
/// `link = "never-merge"`: for sources whose names are known to collide with unrelated ones; the
/// names this emit creates or references never join another source's entity by name (only a
/// `same-as` rule joins them), and no other source's name joins them. Such entities have no
/// alias: a typed name never finds them; their products and their own source's rows do.
public enum LinkMode: String, Sendable, CaseIterable {
    case create
    case matchOnly = "match-only"
    case neverMerge = "never-merge"
}

/// The `match-only` namesake rule, for a build's product exports and for a live lookup's product
/// alike (docs/IDENTITY.md, section 6): a record's brand joins the entity of that name only when the
/// entity has no owners on record, or the record names no owner, or the owner it names is the
/// entity itself or one of its owners (transitively). Otherwise the record is about a namesake.
public enum NamesakeRule {
    /// Whether the record joins `entity`. `claimedOwner` is the owner the record names, as an entity
    /// of the data (nil when the data has none of that name); `namesOwner` is false when the record
    /// names no owner at all.
    public static func joins(entity: Int64, recordedOwners: Set<Int64>, namesOwner: Bool, claimedOwner: Int64?) -> Bool {
        recordedOwners.isEmpty || !namesOwner || claimedOwner.map { $0 == entity || recordedOwners.contains($0) } == true
    }

    /// The note on a namesake: which entity it is not, whose that one is, and who names which owner.
    public static func note(
        notEntity name: String, ownedBy directOwners: [String], claimant: String, claimedOwner: String
    )
        -> String
    {
        "Not the same as “\(name)”, owned by \(directOwners.joined(separator: ", ")): \(claimant) names another owner, \(claimedOwner)"
    }
}

public enum EntityKind: String, Codable, Sendable {
    case company, brand
}

/// A company or brand as the store knows it.
public struct EntityRef: Codable, Sendable, Hashable {
    public var id: Int64
    public var name: String
    public var kind: EntityKind
    public var country: String?
    public var note: String?

    public init(id: Int64, name: String, kind: EntityKind, country: String? = nil, note: String? = nil) {
        self.id = id
        self.name = name
        self.kind = kind
        self.country = country
        self.note = note
    }
}

/// What a listing names: a company or brand, one product, or every product of a GS1 company prefix.
public enum ListingTarget: Codable, Sendable, Hashable {
    case entity(EntityRef)
    case product(gtin: String)
    case companyPrefix(String)

    public var displayName: String {
        switch self {
        case .entity(let e): e.name
        case .product(let gtin): "product \(gtin)"
        case .companyPrefix(let p): "GS1 company prefix \(p)"
        }
    }

    enum CodingKeys: String, CodingKey { case type, entity, gtin, prefix }

    /// `{"type": "entity", "entity": {…}}`, `{"type": "product", "gtin": "…"}` or
    /// `{"type": "company-prefix", "prefix": "…"}`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .entity(let e):
            try c.encode("entity", forKey: .type)
            try c.encode(e, forKey: .entity)
        case .product(let gtin):
            try c.encode("product", forKey: .type)
            try c.encode(gtin, forKey: .gtin)
        case .companyPrefix(let p):
            try c.encode("company-prefix", forKey: .type)
            try c.encode(p, forKey: .prefix)
        }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        switch try c.decode(String.self, forKey: .type) {
        case "entity": self = .entity(try c.decode(EntityRef.self, forKey: .entity))
        case "product": self = .product(gtin: try c.decode(String.self, forKey: .gtin))
        case "company-prefix": self = .companyPrefix(try c.decode(String.self, forKey: .prefix))
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .type, in: c, debugDescription: "unknown target type \(other)")
        }
    }
}

/// One statement by one named source: who listed what, when, why, and where it says so.
public struct Listing: Codable, Sendable, Hashable {
    public var id: Int64
    public var target: ListingTarget
    public var campaign: String
    public var category: ListingCategory
    public var reasons: [String]
    public var sourceURL: String
    /// When the source was read (ISO date; may be partial: "2025", "2026-06").
    public var retrieved: String
    /// The earliest date the source is known to name the target (may be partial), if known.
    public var startDate: String?
    /// Set when the listing ended (delisted, removed from a campaign). Ended listings are history.
    public var endDate: String?
    public var endReason: String?
    /// The other rows that say the same thing (the same target, campaign, category and dates, from
    /// another source or a second row of one source): shown as one card, with every source behind it.
    public var otherSources: [ListingSource] = []

    public var isActive: Bool { endDate == nil }

    enum CodingKeys: String, CodingKey {
        case id, target, campaign, category, reasons, sourceURL = "sourceUrl", retrieved, startDate, endDate, endReason, active,
            otherSources
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(target, forKey: .target)
        try c.encode(campaign, forKey: .campaign)
        try c.encode(category, forKey: .category)
        try c.encode(reasons, forKey: .reasons)
        try c.encode(sourceURL, forKey: .sourceURL)
        try c.encode(retrieved, forKey: .retrieved)
        try c.encodeIfPresent(startDate, forKey: .startDate)
        try c.encodeIfPresent(endDate, forKey: .endDate)
        try c.encodeIfPresent(endReason, forKey: .endReason)
        try c.encode(isActive, forKey: .active)
        if !otherSources.isEmpty { try c.encode(otherSources, forKey: .otherSources) }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(Int64.self, forKey: .id)
        target = try c.decode(ListingTarget.self, forKey: .target)
        campaign = try c.decode(String.self, forKey: .campaign)
        category = try c.decode(ListingCategory.self, forKey: .category)
        reasons = try c.decode([String].self, forKey: .reasons)
        sourceURL = try c.decode(String.self, forKey: .sourceURL)
        retrieved = try c.decode(String.self, forKey: .retrieved)
        startDate = try c.decodeIfPresent(String.self, forKey: .startDate)
        endDate = try c.decodeIfPresent(String.self, forKey: .endDate)
        endReason = try c.decodeIfPresent(String.self, forKey: .endReason)
        otherSources = try c.decodeIfPresent([ListingSource].self, forKey: .otherSources) ?? []
    }

    public init(
        id: Int64, target: ListingTarget, campaign: String, category: ListingCategory, reasons: [String],
        sourceURL: String, retrieved: String, startDate: String? = nil, endDate: String? = nil, endReason: String? = nil
    ) {
        self.id = id
        self.target = target
        self.campaign = campaign
        self.category = category
        self.reasons = reasons
        self.sourceURL = sourceURL
        self.retrieved = retrieved
        self.startDate = startDate
        self.endDate = endDate
        self.endReason = endReason
    }
}

/// Something a source suggests instead of an entity: another company or brand, or a sentence.
/// Always the source's suggestion, never the tool's endorsement.
public struct Alternative: Codable, Sendable, Hashable {
    /// The entity the suggestion is for.
    public var forEntity: EntityRef
    /// The suggested company or brand (nil when the source suggests in words).
    public var entity: EntityRef?
    /// The suggestion in the source's words (nil when it names an entity).
    public var text: String?
    public var region: String?
    public var category: String?
    /// The name of the source that suggests it.
    public var suggestedBy: String
    public var sourceURL: String?
    public var retrieved: String?

    enum CodingKeys: String, CodingKey {
        case forEntity = "for", entity, text, region, category, suggestedBy, sourceURL = "sourceUrl", retrieved
    }

    public init(
        forEntity: EntityRef, entity: EntityRef?, text: String?, region: String? = nil, category: String? = nil,
        suggestedBy: String, sourceURL: String?, retrieved: String?
    ) {
        self.forEntity = forEntity
        self.entity = entity
        self.text = text
        self.region = region
        self.category = category
        self.suggestedBy = suggestedBy
        self.sourceURL = sourceURL
        self.retrieved = retrieved
    }
}

/// Another row behind a listing card: its id, where it was read and when.
public struct ListingSource: Codable, Sendable, Hashable {
    public var id: Int64
    public var sourceURL: String
    public var retrieved: String

    enum CodingKeys: String, CodingKey { case id, sourceURL = "sourceUrl", retrieved }

    public init(id: Int64, sourceURL: String, retrieved: String) {
        self.id = id
        self.sourceURL = sourceURL
        self.retrieved = retrieved
    }
}

/// One "is owned by" step between two entities, with its source.
public struct OwnershipLink: Codable, Sendable, Hashable {
    public var owned: EntityRef
    public var owner: EntityRef
    /// Share of `owned` held by `owner`, when the source gives one.
    public var percent: Double?
    public var sourceURL: String?
    public var retrieved: String?
    /// The id of the source that makes this claim (`bdscheck sources` lists them).
    public var source: String?
    /// When the ownership began and ended, as the source dates them (ISO dates, possibly partial).
    /// An ended link is history: no listing reaches through it.
    public var startDate: String?
    public var endDate: String?
    /// The source's own words about the link ("Acquired from Whitbread in January 2019.").
    public var note: String?

    enum CodingKeys: String, CodingKey {
        case owned, owner, percent, sourceURL = "sourceUrl", retrieved, source, startDate, endDate, note
    }

    public init(
        owned: EntityRef, owner: EntityRef, percent: Double?, sourceURL: String?, retrieved: String?,
        source: String? = nil, startDate: String? = nil, endDate: String? = nil, note: String? = nil
    ) {
        self.owned = owned
        self.owner = owner
        self.percent = percent
        self.sourceURL = sourceURL
        self.retrieved = retrieved
        self.source = source
        self.startDate = startDate
        self.endDate = endDate
        self.note = note
    }

    /// Ownership that has not ended, as listings are active until they end.
    public var isActive: Bool { endDate == nil }
}

/// Two sources, or one source and the rest of the data, that cannot both be right about who owns
/// an entity. Found when the store is built, reported per source in the refresh report, and shown
/// with every answer whose ownership chain passes through `owned`; the store keeps one reading
/// (see docs/IDENTITY.md) and this says which claim it did not follow.
public struct OwnershipContradiction: Codable, Sendable, Hashable {
    public enum Kind: String, Codable, Sendable {
        /// One source says the ownership ended; another asserts it without an end.
        case endedReasserted = "ended-reasserted"
        /// The active owners' shares add up to more than 100 %.
        case sharesOver100 = "shares-over-100"
        /// The owner is itself owned, through active links, by what it owns.
        case cycle
    }

    public var kind: Kind
    public var owned: EntityRef
    /// What `source` claims, in words ("Sabra → 50 % owned by Strauss Group").
    public var claim: String
    public var source: String
    public var sourceURL: String?
    public var retrieved: String?
    /// What the claim runs against, in words, and whose record that is.
    public var against: String
    public var againstSource: String
    public var againstSourceURL: String?

    enum CodingKeys: String, CodingKey {
        case kind, owned, claim, source, sourceURL = "sourceUrl", retrieved, against, againstSource
        case againstSourceURL = "againstSourceUrl"
    }

    public init(
        kind: Kind, owned: EntityRef, claim: String, source: String, sourceURL: String?, retrieved: String?,
        against: String, againstSource: String, againstSourceURL: String?
    ) {
        self.kind = kind
        self.owned = owned
        self.claim = claim
        self.source = source
        self.sourceURL = sourceURL
        self.retrieved = retrieved
        self.against = against
        self.againstSource = againstSource
        self.againstSourceURL = againstSourceURL
    }
}

/// How a query reached a listed entity: the product or name first, then each ownership step.
public struct LinkPath: Codable, Sendable, Hashable {
    /// What the query matched first (a product's brand, or the entity whose name was typed).
    public var start: String
    public var links: [OwnershipLink]

    public init(start: String, links: [OwnershipLink]) {
        self.start = start
        self.links = links
    }

    enum CodingKeys: String, CodingKey { case start, links, text }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(start, forKey: .start)
        try c.encode(links, forKey: .links)
        try c.encode(text, forKey: .text)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        start = try c.decode(String.self, forKey: .start)
        links = try c.decode([OwnershipLink].self, forKey: .links)
    }

    /// "Sabra → 50 % owned by Strauss Group" upward, "PepsiCo → owns SodaStream" downward.
    public var text: String {
        var parts = [start]
        var current = start
        for link in links {
            let share = link.percent.map { "\(Self.format(percent: $0)) % " } ?? ""
            if link.owner.name == current, link.owned.name != current {
                parts.append(share.isEmpty ? "owns \(link.owned.name)" : "owns \(share)of \(link.owned.name)")
                current = link.owned.name
            } else {
                parts.append("\(share)owned by \(link.owner.name)")
                current = link.owner.name
            }
        }
        return parts.joined(separator: " → ")
    }

    public static func format(percent: Double) -> String {
        percent == percent.rounded() && abs(percent) < 1e15 ? String(Int(percent)) : String(percent)
    }
}

/// A listing together with the path that links it to the query.
public struct ListingMatch: Codable, Sendable, Hashable {
    public var listing: Listing
    public var path: LinkPath

    public init(listing: Listing, path: LinkPath) {
        self.listing = listing
        self.path = path
    }
}

/// How a typed name met the entity it matched.
public struct NameMatch: Codable, Sendable, Hashable {
    /// The stored name that matched the query.
    public var alias: String
    /// When `alias` is a short name derived from a formal name ("Bezeq" from "Bezeq, the Israeli
    /// Telecommunications Corp. Ltd."), that formal name.
    public var derivedFrom: String?

    public init(alias: String, derivedFrom: String? = nil) {
        self.alias = alias
        self.derivedFrom = derivedFrom
    }
}
