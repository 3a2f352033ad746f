public import BDSCore

/// A source as the store records it: where its rows came from, under which licence, read when.
public struct SourceInput: Sendable {
    public var id: String
    public var name: String
    public var url: String?
    public var licence: String?
    public var retrieved: String?
    /// The file or URL it was read from, for the build report.
    public var location: String

    public init(id: String, name: String, url: String?, licence: String?, retrieved: String?, location: String) {
        self.id = id
        self.name = name
        self.url = url
        self.licence = licence
        self.retrieved = retrieved
        self.location = location
    }
}

/// Where the data a source was built from came from: its definition's own file, a download, or a
/// local file a maintainer gave with `refresh --file` (kept in the cache folder beside the store).
public struct SourceOrigin: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable {
        /// The file the definition names (`file = …`).
        case definition
        /// Downloaded from the definition's `fetch` URL.
        case fetched
        /// Copied from a local file given with `refresh --file ID=PATH`.
        case localFile = "local-file"
    }

    public var kind: Kind
    /// The definition's file (relative to the data folder when inside it), the URL, or the absolute
    /// path of the local file the copy was made from.
    public var location: String
    /// The server's validators for a download.
    public var etag: String?
    public var lastModified: String?
    /// When the data was downloaded, or copied from the local file (ISO 8601).
    public var obtainedAt: String?

    public init(kind: Kind, location: String, etag: String? = nil, lastModified: String? = nil, obtainedAt: String? = nil) {
        self.kind = kind
        self.location = location
        self.etag = etag
        self.lastModified = lastModified
        self.obtainedAt = obtainedAt
    }
}

/// A company or brand a source names, with its other names.
public struct EntityInput: Sendable {
    public var name: String
    public var kind: EntityKind
    public var country: String?
    public var note: String?
    public var aliases: [String]
    public var sourceURL: String?
    public var retrieved: String?
    /// The source's own key for the record (an id column, a JSON object's key), kept with the entity
    /// and matched by `same-as` and `not-same` rules.
    public var key: String?
    /// A Wikidata item (`Q…`) the source gives for the record: two records with the same item are
    /// one entity whatever their names, and two with different items are never joined by name.
    public var wikidata: String?

    public init(
        name: String, kind: EntityKind, country: String? = nil, note: String? = nil, aliases: [String] = [],
        sourceURL: String? = nil, retrieved: String? = nil, key: String? = nil, wikidata: String? = nil
    ) {
        self.name = name
        self.kind = kind
        self.country = country
        self.note = note
        self.aliases = aliases
        self.sourceURL = sourceURL
        self.retrieved = retrieved
        self.key = key
        self.wikidata = wikidata
    }
}

/// A maintained identity rule (`datasets/same-as.csv`, `datasets/not-same.csv`): a source's record,
/// by its key or its name, is (or is not) an entity, with the reason and where that was read.
public struct IdentityRuleInput: Sendable {
    public enum Kind: String, Sendable { case sameAs = "same-as", notSame = "not-same" }

    public var kind: Kind
    /// The id of the source whose records the rule is about.
    public var source: String
    /// That source's key for the record, or, for a source without keys, the name it writes.
    public var key: String
    /// The entity, by one of its names, that the record is (or is not).
    public var entity: String
    public var reason: String
    public var sourceURL: String?
    public var retrieved: String?

    public init(
        kind: Kind, source: String, key: String, entity: String, reason: String, sourceURL: String?, retrieved: String?
    ) {
        self.kind = kind
        self.source = source
        self.key = key
        self.entity = entity
        self.reason = reason
        self.sourceURL = sourceURL
        self.retrieved = retrieved
    }
}

/// An owned → owner edge between two entities the writer already holds.
public struct OwnershipInput: Sendable {
    public var owned: Int64
    public var owner: Int64
    /// Above 0 and at most 100, when the source gives it.
    public var percent: Double?
    public var note: String?
    public var sourceURL: String?
    public var retrieved: String?
    /// When the ownership began and ended (ISO dates, possibly partial); an ended edge is history.
    public var startDate: String?
    public var endDate: String?

    public init(
        owned: Int64, owner: Int64, percent: Double?, note: String?, sourceURL: String?, retrieved: String?,
        startDate: String? = nil, endDate: String? = nil
    ) {
        self.owned = owned
        self.owner = owner
        self.percent = percent
        self.note = note
        self.sourceURL = sourceURL
        self.retrieved = retrieved
        self.startDate = startDate
        self.endDate = endDate
    }
}

/// A product by its GTIN, with its name and main brand.
public struct ProductInput: Sendable {
    public var gtin: GTIN
    public var name: String?
    public var brand: Int64?
    public var sourceURL: String?
    public var retrieved: String?

    public init(gtin: GTIN, name: String?, brand: Int64?, sourceURL: String?, retrieved: String?) {
        self.gtin = gtin
        self.name = name
        self.brand = brand
        self.sourceURL = sourceURL
        self.retrieved = retrieved
    }
}

/// Something a source suggests instead of an entity: another entity, or a sentence.
public struct AlternativeInput: Sendable {
    public enum Suggestion: Sendable {
        case entity(Int64)
        case text(String)
    }

    public var entity: Int64
    public var suggestion: Suggestion
    public var region: String?
    public var category: String?
    public var sourceURL: String?
    public var retrieved: String?

    public init(
        entity: Int64, suggestion: Suggestion, region: String? = nil, category: String? = nil, sourceURL: String?,
        retrieved: String?
    ) {
        self.entity = entity
        self.suggestion = suggestion
        self.region = region
        self.category = category
        self.sourceURL = sourceURL
        self.retrieved = retrieved
    }
}

/// A campaign's statement about an entity, one product or a GS1 company prefix (exactly one of the three).
public struct ListingInput: Sendable {
    public enum Target: Sendable {
        case entity(Int64)
        case product(GTIN)
        case companyPrefix(String)
    }

    public var target: Target
    public var campaign: String
    public var category: ListingCategory
    public var reasons: [String]
    public var sourceURL: String
    public var retrieved: String
    public var startDate: String?
    public var endDate: String?
    public var endReason: String?

    public init(
        target: Target, campaign: String, category: ListingCategory, reasons: [String], sourceURL: String,
        retrieved: String, startDate: String?, endDate: String?, endReason: String?
    ) {
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
