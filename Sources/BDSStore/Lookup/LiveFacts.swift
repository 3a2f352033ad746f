public import BDSCore
import Foundation
import GRDB

/// A product a live source (the Open Food Facts API) describes for a barcode the store does not hold.
public struct LiveProduct: Sendable, Hashable {
    public var name: String?
    /// The brands as the source writes them ("Sabra, Sabra Dipping"); the first is the main brand.
    public var brands: [String]
    public var brandOwner: String?
    /// Who described it, and when it was fetched.
    public var sourceName: String
    public var sourceURL: String
    public var fetched: String

    public init(name: String?, brands: [String], brandOwner: String?, sourceName: String, sourceURL: String, fetched: String) {
        self.name = name
        self.brands = brands
        self.brandOwner = brandOwner
        self.sourceName = sourceName
        self.sourceURL = sourceURL
        self.fetched = fetched
    }
}

extension Store {
    /// The verdict for `input` with a live source's description of its product, when the store
    /// itself knows no product for the code. The live brand is a `match-only` claim (docs/IDENTITY.md,
    /// section 6): it joins the known entity of that name only when the entity has no owners on
    /// record or the live brand owner is that entity or one of its owners; otherwise the product's
    /// brand is a namesake, labelled, and no listing reaches the product through it.
    public func verdict(for input: String, live product: LiveProduct) throws -> Verdict {
        var verdict = VerdictRules.verdict(from: try facts(for: input, live: product))
        verdict.data = dataStamp
        return verdict
    }

    func facts(for input: String, live product: LiveProduct) throws -> LookupFacts {
        var facts = try self.facts(for: input)
        guard facts.kind == .barcode, facts.product == nil, let barcode = facts.barcode, facts.problem == nil else {
            return facts
        }
        return try read { db in
            var brand: EntityRef?
            if let name = product.brands.first {
                let key = NameKey(name)
                let ids = try Int64.fetchAll(
                    db.cachedStatement(
                        sql: "SELECT DISTINCT entity_id FROM alias WHERE (norm = ? OR compact = ?) AND derived_from IS NULL"),
                    arguments: [key.normalized, key.compact])
                if ids.count == 1, let reach = try self.reach(db, entityID: ids[0]) {
                    let recorded = Set(reach.owners.map(\.owner.id))
                    var owner: Int64?
                    if let ownerName = product.brandOwner {
                        let ownerKey = NameKey(ownerName)
                        owner = try Int64.fetchOne(
                            db.cachedStatement(
                                sql:
                                    "SELECT entity_id FROM alias WHERE (norm = ? OR compact = ?) AND derived_from IS NULL LIMIT 1"
                            ),
                            arguments: [ownerKey.normalized, ownerKey.compact])
                    }
                    if NamesakeRule.joins(
                        entity: reach.entity.id, recordedOwners: recorded, namesOwner: product.brandOwner != nil,
                        claimedOwner: owner)
                    {
                        brand = reach.entity
                        facts.matched = [reach.entity]
                        facts.owners = reach.owners
                        facts.ownershipContradictions = reach.conflicts
                        facts.reached += reach.listings
                    } else {
                        let direct = reach.owners.filter { $0.owned.id == reach.entity.id && $0.isActive }.map(\.owner.name)
                        brand = EntityRef(
                            id: 0, name: name, kind: .brand,
                            note: NamesakeRule.note(
                                notEntity: reach.entity.name, ownedBy: direct, claimant: product.sourceName,
                                claimedOwner: product.brandOwner ?? ""))
                    }
                } else {
                    // Unknown to the store (or ambiguous): the product is known by its brand's name alone.
                    brand = EntityRef(id: 0, name: name, kind: .brand)
                }
            }
            facts.product = ProductInfo(
                gtin: barcode.canonical, name: product.name, brand: brand, sourceURL: product.sourceURL,
                retrieved: product.fetched, fetchedLive: product.sourceName)
            facts.alternatives = try alternatives(db, for: facts)
            return facts
        }
    }
}

/// What a live lookup of one barcode gave.
public enum LiveLookupOutcome: Sendable, Hashable {
    /// The source describes a product (`cached`: from the live cache, not asked again).
    case found(LiveProduct, cached: Bool)
    /// The source has no product for the code, in its own words ("product not found", "product
    /// found with a different product type: beauty").
    case notFound(source: String, reason: String, fetched: String, cached: Bool)
    /// The source could not be asked (offline, slow, an error): the answer is the offline one.
    case unavailable(source: String, reason: String)
}

extension LiveProduct {
    /// "Sabra, Sabra Dipping" → ["Sabra", "Sabra Dipping"].
    public static func splitBrands(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

extension Store {
    /// Whether a live lookup could add anything to this answer: a product code the store holds no
    /// product for.
    public static func wantsLiveLookup(_ v: Verdict) -> GTIN? {
        guard v.kind == .barcode, v.product == nil, v.problem == nil, let b = v.barcode, b.identifiesProduct else { return nil }
        return try? GTIN(parsing: b.canonical)
    }

    /// The answer for `input` given what the live lookup gave: the live product's verdict, or the
    /// store's own answer with a labelled hint saying what the source said or why it was not asked.
    public func verdict(for input: String, offline: Verdict, live outcome: LiveLookupOutcome) throws -> Verdict {
        switch outcome {
        case .found(let product, _):
            return try verdict(for: input, live: product)
        case .notFound(let source, let reason, let fetched, _):
            var v = offline
            v.hints.append(Hint(kind: "live-lookup", text: "\(source), asked live on \(fetched): \(reason)"))
            return v
        case .unavailable(let source, let reason):
            var v = offline
            v.hints.append(
                Hint(kind: "live-lookup", text: "\(source) could not be asked (\(reason)); this is the offline answer"))
            return v
        }
    }
}
