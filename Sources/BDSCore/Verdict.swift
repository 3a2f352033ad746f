/// The answer levels. They never blur: the strongest can only come from a listing.
public enum VerdictLevel: String, Codable, Sendable, CaseIterable, Comparable {
    /// An active listing in the consumer-boycott category reaches the query.
    case listedConsumerBoycott = "listed-consumer-boycott"
    /// Active listings reach the query, none of them a consumer boycott.
    case listedOther = "listed-other"
    /// Nothing lists the query itself or its owners, but it owns companies or brands that are listed.
    case ownsListed = "owns-listed"
    /// No listing, but a labelled hint applies (a barcode issued by GS1 Israel).
    case hintOnly = "hint-only"
    /// The product or name is known, and no active listing reaches it.
    case noListingFound = "no-listing-found"
    /// Nothing is known about the query. Not the same as "no listing found".
    case unknown
    /// The input is not a usable barcode or name.
    case invalid

    /// Severity for choosing one exit status over several queries (higher wins).
    public var severity: Int {
        switch self {
        case .noListingFound: 0
        case .unknown: 1
        case .hintOnly: 2
        case .ownsListed: 3
        case .listedOther: 4
        case .listedConsumerBoycott: 5
        case .invalid: 6
        }
    }

    public static func < (a: VerdictLevel, b: VerdictLevel) -> Bool { a.severity < b.severity }
}

public enum QueryKind: String, Codable, Sendable {
    case barcode, name
}

/// What the barcode itself says, independent of any product database.
public struct BarcodeInfo: Codable, Sendable, Hashable {
    public var input: String
    public var gtin14: String
    public var canonical: String
    public var format: GTIN.Format
    /// The GS1 prefix row that matched, e.g. "729"…"729".
    public var prefix: String?
    /// The issuing organisation or special use, e.g. "GS1 Israel", "Bookland (ISBN)".
    public var allocation: String?
    /// A sentence for a person: "barcode issued by GS1 Israel".
    public var allocationLabel: String
    /// False for restricted-circulation, book, coupon and refund codes.
    public var identifiesProduct: Bool
    /// The GS1 Company Prefix of the brand owner, when GS1's length list is loaded.
    public var companyPrefix: String?

    public init(gtin: GTIN, input: String, range: GS1PrefixRange?, allocation: GS1Allocation) {
        self.input = input
        gtin14 = gtin.gtin14
        canonical = gtin.canonical
        format = gtin.format
        prefix = range.map { $0.start == $0.end ? $0.start : "\($0.start)–\($0.end)" }
        self.allocation = range?.usage
        allocationLabel = allocation.label
        identifiesProduct = allocation.isProductLookupAllowed
    }
}

public struct ProductInfo: Codable, Sendable, Hashable {
    public var gtin: String
    public var name: String?
    public var brand: EntityRef?
    public var sourceURL: String?
    public var retrieved: String?
    /// Set when the product is not in the store and a live source described it (`--online`): that
    /// source's name; `retrieved` is then when it was fetched, `sourceURL` its page for the product.
    public var fetchedLive: String?

    enum CodingKeys: String, CodingKey { case gtin, name, brand, sourceURL = "sourceUrl", retrieved, fetchedLive }

    public init(
        gtin: String, name: String?, brand: EntityRef?, sourceURL: String?, retrieved: String?, fetchedLive: String? = nil
    ) {
        self.gtin = gtin
        self.name = name
        self.brand = brand
        self.sourceURL = sourceURL
        self.retrieved = retrieved
        self.fetchedLive = fetchedLive
    }
}

/// A labelled hint that is never proof by itself.
public struct Hint: Codable, Sendable, Hashable {
    public var kind: String
    public var text: String

    public init(kind: String, text: String) {
        self.kind = kind
        self.text = text
    }
}

/// A name the query resembles, with how closely. Candidates are suggestions, never verdicts.
public struct Candidate: Codable, Sendable, Hashable {
    public var entity: EntityRef
    /// The alias that matched (may differ from the entity's name).
    public var matchedName: String
    /// 0…1; 1 means the normalised names are equal.
    public var score: Double
    /// The level the answer would have if the query were this entity: a label for the suggestion,
    /// never the answer's own level.
    public var verdict: VerdictLevel?
    /// When `matchedName` is a short name derived from a formal name, that formal name.
    public var derivedFrom: String?

    public init(entity: EntityRef, matchedName: String, score: Double, verdict: VerdictLevel? = nil, derivedFrom: String? = nil) {
        self.entity = entity
        self.matchedName = matchedName
        self.score = score
        self.verdict = verdict
        self.derivedFrom = derivedFrom
    }
}

/// Why an input could not be used.
public struct InputProblem: Codable, Sendable, Hashable {
    public var message: String
    public var expectedCheckDigit: Int?
    public var correctedCode: String?

    public init(message: String, expectedCheckDigit: Int? = nil, correctedCode: String? = nil) {
        self.message = message
        self.expectedCheckDigit = expectedCheckDigit
        self.correctedCode = correctedCode
    }

    public init(_ error: GTINError) {
        message = error.description
        if case .wrongCheckDigit(let expected, _, let corrected) = error {
            expectedCheckDigit = Int(expected)
            correctedCode = GTINError.correctionIdentifiesProduct(corrected) ? corrected : nil
        }
    }
}

/// The full answer to one query: the level, a one-line summary, and everything it rests on.
public struct Verdict: Codable, Sendable, Hashable {
    public var query: String
    public var kind: QueryKind
    public var verdict: VerdictLevel
    public var summary: String
    public var barcode: BarcodeInfo?
    public var product: ProductInfo?
    /// The entities the query matched exactly (by product brand or by name).
    public var matched: [EntityRef]
    /// Active owners of the matched entities, transitively, as ownership links.
    public var owners: [OwnershipLink]
    /// Ended ownership of the matched entities and their owners: history, which no listing reaches through.
    public var formerOwners: [OwnershipLink] = []
    /// Where sources contradict each other about the ownership shown (docs/IDENTITY.md).
    public var ownershipContradictions: [OwnershipContradiction] = []
    /// Active listings that reach the query.
    public var listings: [ListingMatch]
    /// Ended listings that reach the query: history, not verdicts.
    public var history: [ListingMatch]
    /// Active listings on companies and brands the matched entities own, with the path down to them.
    public var owns: [ListingMatch]
    /// How a name query met its entity (absent for barcodes and unmatched names).
    public var nameMatch: NameMatch?
    public var hints: [Hint]
    public var candidates: [Candidate]
    public var problem: InputProblem?
    /// How a barcode query was read (its form, GTIN and other GS1 elements); nil for names.
    public var reading: CodeReading?
    /// Which data answered: the snapshot's version and date (set by the store, not by the rules).
    public var data: DataStamp?
    /// What sources suggest instead of a listed answer's entity, each labelled with who suggests it;
    /// empty unless the answer is listed. None of them is itself listed or owns anything listed.
    public var alternatives: [Alternative] = []
    /// The headline and summary in the language the answer was asked in (set by the CLI and the
    /// server, not by the rules); the other fields stay in English.
    public var localized: LocalizedAnswer?

    /// A verdict exactly as given; `VerdictRules.verdict(from:)` is the one place that decides the
    /// level and the summary from what the store found.
    public init(
        query: String, kind: QueryKind, verdict: VerdictLevel, summary: String, barcode: BarcodeInfo?,
        product: ProductInfo?, matched: [EntityRef], owners: [OwnershipLink], listings: [ListingMatch],
        history: [ListingMatch], owns: [ListingMatch] = [], nameMatch: NameMatch? = nil, hints: [Hint],
        candidates: [Candidate], problem: InputProblem?
    ) {
        self.query = query
        self.kind = kind
        self.verdict = verdict
        self.summary = summary
        self.barcode = barcode
        self.product = product
        self.matched = matched
        self.owners = owners
        self.listings = listings
        self.history = history
        self.owns = owns
        self.nameMatch = nameMatch
        self.hints = hints
        self.candidates = candidates
        self.problem = problem
    }
}

/// What the store found for one query, before any judgement: the plain facts `VerdictRules` turns
/// into a `Verdict`.
public struct LookupFacts: Sendable, Hashable {
    public var query: String
    public var kind: QueryKind
    public var barcode: BarcodeInfo?
    /// Who issued the barcode's prefix, or what special use it has.
    public var allocation: GS1Allocation?
    public var product: ProductInfo?
    /// The entities the query matched exactly (by product brand or by name).
    public var matched: [EntityRef]
    /// Ownership links of the matched entities and their owners, transitively through active
    /// links; ended links met on the way are here too (`VerdictRules` shows them as history).
    public var owners: [OwnershipLink]
    /// Contradictions the build recorded about the entities on those links.
    public var ownershipContradictions: [OwnershipContradiction] = []
    /// Every listing that reaches the query, active or ended, with its path.
    public var reached: [ListingMatch]
    /// Listings on what the matched entities own, transitively, with the path down.
    public var ownedReached: [ListingMatch]
    public var nameMatch: NameMatch?
    /// Names the query resembles, scored, unfiltered.
    public var candidates: [Candidate]
    public var problem: InputProblem?
    /// How a barcode query was read (its form, GTIN and other GS1 elements); nil for names.
    public var reading: CodeReading?
    /// What sources suggest instead of the matched entities (the store leaves out suggestions that
    /// are themselves listed or own something listed).
    public var alternatives: [Alternative] = []

    public init(
        query: String, kind: QueryKind, barcode: BarcodeInfo? = nil, allocation: GS1Allocation? = nil,
        product: ProductInfo? = nil, matched: [EntityRef] = [], owners: [OwnershipLink] = [],
        reached: [ListingMatch] = [], ownedReached: [ListingMatch] = [], nameMatch: NameMatch? = nil,
        candidates: [Candidate] = [], problem: InputProblem? = nil
    ) {
        self.query = query
        self.kind = kind
        self.barcode = barcode
        self.allocation = allocation
        self.product = product
        self.matched = matched
        self.owners = owners
        self.reached = reached
        self.ownedReached = ownedReached
        self.nameMatch = nameMatch
        self.candidates = candidates
        self.problem = problem
    }
}

/// The version and date of the data an answer came from, so a stale kiosk shows that it is stale.
///
/// `version` is a pulled snapshot's data version (nil for a store built locally); `date` is when
/// the snapshot was made, or else when the store was built (ISO 8601, UTC).
public struct DataStamp: Codable, Sendable, Hashable {
    public var version: Int64?
    public var date: String?

    public init(version: Int64?, date: String?) {
        self.version = version
        self.date = date
    }
}
