import BDSCore
import Foundation
import GRDB

extension Store {
    // MARK: Reading the query (ScannedInput, in BDSCore)

    /// Reads `input` with the one input reader, `ScannedInput` (a barcode in any form, or a name), and answers it.
    public func verdict(for input: String) throws -> Verdict {
        switch ScannedInput(input) {
        case .name(let name): try verdict(forName: name)
        case .code(let reading): try verdict(forReading: reading, query: input)
        }
    }

    /// Answers `input` as a barcode in any form `ScannedInput` reads; a name is an invalid barcode.
    public func verdict(forBarcode input: String) throws -> Verdict {
        guard case .code(let reading) = ScannedInput(input) else {
            let problem: InputProblem
            do {
                _ = try GTIN(parsing: input)
                problem = InputProblem(message: "not a barcode")
            } catch {
                problem = InputProblem(error)
            }
            return Verdict(query: input, kind: .barcode, problem: problem)
        }
        return try verdict(forReading: reading, query: input)
    }

    func verdict(forReading reading: CodeReading, query: String) throws -> Verdict {
        let input = CodeReading.queryText(query)
        var answer: Verdict
        switch reading.readGTIN() {
        case .success(let gtin): answer = try verdict(forGTIN: gtin, input: input)
        case .failure(let problem): answer = Verdict(query: input, kind: .barcode, problem: problem)
        }
        answer.reading = reading
        return answer
    }

    // MARK: -

    /// Barcode → product → brand → owners → listings, plus listings on the product and its company
    /// prefix, plus the issuer hint.
    func verdict(forGTIN gtin: GTIN, input: String) throws -> Verdict {
        let allocation = prefixTable.allocation(for: gtin)
        var barcode = BarcodeInfo(gtin: gtin, input: input, range: prefixTable.range(for: gtin), allocation: allocation)
        guard allocation.isProductLookupAllowed else {
            return Verdict(query: input, kind: .barcode, barcode: barcode)
        }
        let hints = VerdictRules.issuerHint(for: allocation).map { [$0] } ?? []
        return try read { db in
            if hasCompanyPrefixLengths, let g13 = gtin.gtin13 {
                barcode.companyPrefix = try Self.companyPrefix(db, gtin13: g13)
            }
            var product: ProductInfo?
            var matched: [EntityRef] = []
            var reached: [ListingMatch] = []
            var owners: [OwnershipLink] = []
            if let row = try Row.fetchOne(
                db.cachedStatement(sql: """
                    SELECT p.name, p.brand_id, coalesce(p.source_url, s.url), coalesce(p.retrieved, s.retrieved)
                    FROM product p JOIN source s ON s.id = p.source_id WHERE p.gtin = ?
                    """),
                arguments: [Int64(gtin.value)]
            ) {
                let brandID: Int64? = row[1]
                let reach = try brandID.flatMap { try self.reach(db, entityID: $0) }
                product = ProductInfo(
                    gtin: gtin.canonical, name: row[0], brand: reach?.entity, sourceURL: row[2], retrieved: row[3]
                )
                if let reach {
                    matched = [reach.entity]
                    owners = reach.owners
                    reached += reach.listings
                }
            }
            if hasProductListings {
                reached += try Self.fetchListings(db, sql: "WHERE l.gtin = ?", arguments: [Int64(gtin.value)])
                    .map { ListingMatch(listing: $0, path: LinkPath(start: "product \(gtin.canonical)", links: [])) }
            }
            if hasCompanyPrefixListings, let g13 = gtin.gtin13 {
                let prefixes = (6...12).map { String(g13.prefix($0)) }
                let marks = prefixes.map { _ in "?" }.joined(separator: ",")
                reached += try Self.fetchListings(db, sql: "WHERE l.gcp IN (\(marks))", arguments: StatementArguments(prefixes))
                    .map { ListingMatch(listing: $0, path: LinkPath(start: "barcode \(gtin.canonical)", links: [])) }
            }
            return Verdict(
                query: input, kind: .barcode, barcode: barcode, product: product, matched: matched, owners: owners,
                listings: reached.filter { $0.listing.isActive }, history: reached.filter { !$0.listing.isActive },
                hints: hints
            )
        }
    }

    /// Name → exact normalised alias match → owners → listings; otherwise scored candidates only.
    public func verdict(forName input: String) throws -> Verdict {
        let key = NameKey(input)
        guard !key.isEmpty else {
            return Verdict(query: input, kind: .name, problem: InputProblem(message: "type a barcode or a brand or company name"))
        }
        return try read { db in
            let ids = try Int64.fetchAll(
                db.cachedStatement(sql: "SELECT DISTINCT entity_id FROM alias WHERE norm = ? OR compact = ?"),
                arguments: [key.normalized, key.compact]
            )
            if ids.count == 1, let reach = try self.reach(db, entityID: ids[0]) {
                return Verdict(
                    query: input, kind: .name, matched: [reach.entity], owners: reach.owners,
                    listings: reach.listings.filter { $0.listing.isActive },
                    history: reach.listings.filter { !$0.listing.isActive }
                )
            }
            let matched = try ids.compactMap { try Self.entity(db, id: $0) }
            if matched.isEmpty {
                let candidates = try self.candidates(db, for: key, limit: 5)
                    .filter { $0.score >= NameSimilarity.suggestionThreshold }
                return Verdict(query: input, kind: .name, candidates: candidates)
            }
            let walk = try Self.walkOwners(db, from: matched)
            let reached = try Self.listings(db, reachedBy: walk)
            return Verdict(
                query: input, kind: .name, matched: matched, owners: walk.links,
                listings: reached.filter { $0.listing.isActive }, history: reached.filter { !$0.listing.isActive }
            )
        }
    }

    /// Ranked candidates for a typed name, exact matches (score 1) first.
    public func search(_ input: String, limit: Int = 10) throws -> [Candidate] {
        let key = NameKey(input)
        guard !key.isEmpty else { return [] }
        return try read { db in try self.candidates(db, for: key, limit: limit) }
    }

    // MARK: - Queries

    /// The GS1 Company Prefix of a GTIN-13: GS1's length list gives, for the longest matching
    /// prefix, how many leading digits belong to the company (0 means none is assigned).
    static func companyPrefix(_ db: Database, gtin13: String) throws -> String? {
        let prefixes = (1...12).map { String(gtin13.prefix($0)) }
        let marks = prefixes.map { _ in "?" }.joined(separator: ",")
        guard let length = try Int.fetchOne(
            db.cachedStatement(sql: "SELECT length FROM gcp_length WHERE prefix IN (\(marks)) ORDER BY length(prefix) DESC LIMIT 1"),
            arguments: StatementArguments(prefixes)
        ), length > 0 else { return nil }
        return String(gtin13.prefix(length))
    }

    /// An entity with everything it reaches upward: its owners, transitively, and the listings on it
    /// and on them, each with its path. Remembered per store (see `EntityReach`).
    func reach(_ db: Database, entityID: Int64) throws -> EntityReach? {
        if let known = reachCache.withLock({ $0[entityID] }) { return known }
        guard let entity = try Self.entity(db, id: entityID) else { return nil }
        let walk = try Self.walkOwners(db, from: [entity])
        let reach = EntityReach(entity: entity, owners: walk.links, listings: try Self.listings(db, reachedBy: walk))
        reachCache.withLock { cache in
            if cache.count >= Self.reachCacheLimit { cache.removeAll(keepingCapacity: true) }
            cache[entityID] = reach
        }
        return reach
    }

    static func entity(_ db: Database, id: Int64) throws -> EntityRef? {
        guard let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT name, kind, country, note FROM entity WHERE id = ?"), arguments: [id]
        ) else { return nil }
        return EntityRef(id: id, name: row[0], kind: EntityKind(rawValue: row[1]) ?? .company, country: row[2], note: row[3])
    }

    /// Every entity reachable upward through ownership, each with the first (shortest) path that reached it.
    struct OwnerWalk {
        var reached: [(entity: EntityRef, path: LinkPath)] = []
        var links: [OwnershipLink] = []
    }

    static func walkOwners(_ db: Database, from starts: [EntityRef]) throws -> OwnerWalk {
        var walk = OwnerWalk()
        var seen = Set<Int64>()
        var queue: [(EntityRef, LinkPath)] = []
        for start in starts where seen.insert(start.id).inserted {
            queue.append((start, LinkPath(start: start.name, links: [])))
        }
        var seenLinks = Set<[Int64]>()
        var index = 0
        while index < queue.count {
            let (entity, path) = queue[index]
            index += 1
            walk.reached.append((entity, path))
            let rows = try Row.fetchAll(
                db.cachedStatement(sql: """
                    SELECT o.owner_id, o.percent, o.source_url, o.retrieved, e.name, e.kind, e.country, e.note
                    FROM ownership o JOIN entity e ON e.id = o.owner_id WHERE o.owned_id = ? ORDER BY e.name
                    """),
                arguments: [entity.id]
            )
            for row in rows {
                let owner = EntityRef(
                    id: row[0], name: row[4], kind: EntityKind(rawValue: row[5]) ?? .company, country: row[6], note: row[7]
                )
                let link = OwnershipLink(owned: entity, owner: owner, percent: row[1], sourceURL: row[2], retrieved: row[3])
                if seenLinks.insert([entity.id, owner.id]).inserted { walk.links.append(link) }
                if seen.insert(owner.id).inserted {
                    queue.append((owner, LinkPath(start: path.start, links: path.links + [link])))
                }
            }
        }
        return walk
    }

    static func listings(_ db: Database, reachedBy walk: OwnerWalk) throws -> [ListingMatch] {
        var result: [ListingMatch] = []
        for (entity, path) in walk.reached {
            for listing in try fetchListings(db, sql: "WHERE l.entity_id = ?", arguments: [entity.id], target: entity) {
                result.append(ListingMatch(listing: listing, path: path))
            }
        }
        return result
    }

    static func fetchListings(
        _ db: Database, sql whereClause: String, arguments: StatementArguments, target: EntityRef? = nil
    ) throws -> [Listing] {
        let rows = try Row.fetchAll(
            db.cachedStatement(sql: """
                SELECT l.id, l.entity_id, l.gtin, l.gcp, l.campaign, l.category, l.reasons, l.source_url, l.retrieved,
                       l.start_date, l.end_date, l.end_reason
                FROM listing l \(whereClause) ORDER BY l.end_date IS NOT NULL, l.category, l.campaign, l.id
                """),
            arguments: arguments
        )
        return try rows.map { row in
            let listingTarget: ListingTarget
            if let entityID: Int64 = row[1] {
                guard let entity = try target ?? entity(db, id: entityID) else {
                    throw StoreError.unreadable(path: db.description, reason: "listing \(row[0] as Int64) names a missing entity")
                }
                listingTarget = .entity(entity)
            } else if let gtin: Int64 = row[2] {
                listingTarget = .product(gtin: GTIN(storageKey: UInt64(gtin))?.canonical ?? String(gtin))
            } else {
                listingTarget = .companyPrefix(row[3])
            }
            return Listing(
                id: row[0], target: listingTarget, campaign: row[4],
                category: ListingCategory(rawValue: row[5]) ?? .other,
                reasons: ListingReasons.decode(row[6]), sourceURL: row[7], retrieved: row[8],
                startDate: row[9], endDate: row[10], endReason: row[11]
            )
        }
    }

    func candidates(_ db: Database, for key: NameKey, limit: Int) throws -> [Candidate] {
        var best: [Int64: Candidate] = [:]
        /// Whether some candidates carry only their entity id (read for the final few only).
        var unresolved = false
        let query = NameSimilarity.Query(key)
        func consider(_ row: Row) {
            // columns: entity_id, alias name, norm, entity name, kind, country, note
            let entityID: Int64 = row[0]
            let score = NameSimilarity.score(query, NameKey(precomputed: row[2]))
            if let existing = best[entityID], existing.score >= score { return }
            let entity = EntityRef(
                id: entityID, name: row[3], kind: EntityKind(rawValue: row[4]) ?? .company, country: row[5], note: row[6]
            )
            best[entityID] = Candidate(entity: entity, matchedName: row[1], score: score)
        }
        let exact = try Row.fetchCursor(
            db.cachedStatement(sql: """
                SELECT a.entity_id, a.name, a.norm, e.name, e.kind, e.country, e.note
                FROM alias a JOIN entity e ON e.id = a.entity_id WHERE a.norm = ? OR a.compact = ?
                """),
            arguments: [key.normalized, key.compact]
        )
        while let row = try exact.next() { consider(row) }
        if key.compact.count >= NameSimilarity.minimumFuzzyLength {
            let grams = Self.trigrams(of: key.normalized)
            if !grams.isEmpty, let index = nameIndex.withLock({ $0 }) {
                // Scored from memory; only the entities that make the answer are read (below).
                for entry in index.closest(to: grams, limit: 100) {
                    let score = NameSimilarity.score(query, NameKey(precomputed: entry.norm))
                    if let existing = best[entry.entityID], existing.score >= score { continue }
                    best[entry.entityID] = Candidate(
                        entity: EntityRef(id: entry.entityID, name: "", kind: .company), matchedName: entry.name, score: score
                    )
                }
                unresolved = true
            } else if !grams.isEmpty {
                let match = grams.map { "\"\($0.replacingOccurrences(of: "\"", with: "\"\""))\"" }.joined(separator: " OR ")
                // bm25 ranks names sharing more (and rarer) trigrams first; the best 100 are scored.
                let rows = try Row.fetchCursor(
                    db.cachedStatement(sql: """
                        SELECT a.entity_id, a.name, a.norm, e.name, e.kind, e.country, e.note
                        FROM (SELECT rowid FROM alias_fts WHERE alias_fts MATCH ? ORDER BY rank LIMIT 100) f
                        JOIN alias a ON a.id = f.rowid JOIN entity e ON e.id = a.entity_id
                        """),
                    arguments: [match]
                )
                while let row = try rows.next() { consider(row) }
            }
        }
        let ranked = best.values
            .sorted { $0.score != $1.score ? $0.score > $1.score : $0.matchedName < $1.matchedName }
            .prefix(limit)
        guard unresolved else { return Array(ranked) }
        return try ranked.compactMap { candidate in
            try Self.entity(db, id: candidate.entity.id).map {
                Candidate(entity: $0, matchedName: candidate.matchedName, score: candidate.score)
            }
        }
    }

    static func trigrams(of s: String) -> [String] {
        let chars = Array(s)
        guard chars.count >= 3 else { return [] }
        var seen = Set<String>()
        var out: [String] = []
        for i in 0...(chars.count - 3) {
            let g = String(chars[i..<(i + 3)])
            if seen.insert(g).inserted { out.append(g) }
        }
        return out
    }
}

/// How a listing's list of reasons is stored in one column: joined by the ASCII record separator
/// (U+001E), which no reason contains; cheaper to read back than JSON on every lookup.
public enum ListingReasons {
    static let separator: Character = "\u{1E}"

    public static func encode(_ reasons: [String]) -> String {
        reasons.map { $0.replacingOccurrences(of: String(separator), with: " ") }.joined(separator: String(separator))
    }

    public static func decode(_ text: String) -> [String] {
        text.isEmpty ? [] : text.split(separator: separator, omittingEmptySubsequences: false).map(String.init)
    }
}
