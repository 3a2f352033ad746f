public import BDSCore
import Foundation
import GRDB
import Synchronization

extension Store {
    /// The verdict for a barcode or a name: the store's facts, judged by `VerdictRules`.
    public func verdict(for input: String) throws -> Verdict {
        var verdict = VerdictRules.verdict(from: try facts(for: input))
        verdict.data = dataStamp
        return verdict
    }

    public func verdict(forBarcode input: String) throws -> Verdict {
        var verdict = VerdictRules.verdict(from: try facts(forBarcode: input))
        verdict.data = dataStamp
        return verdict
    }

    public func verdict(forName input: String) throws -> Verdict {
        var verdict = VerdictRules.verdict(from: try facts(forName: input))
        verdict.data = dataStamp
        return verdict
    }

    /// What the store knows about `input`, read by the one input reader, `ScannedInput` (a barcode
    /// in any form a scanner or phone sends, or a name).
    public func facts(for input: String) throws -> LookupFacts {
        switch ScannedInput(input) {
        case .name(let name): try facts(forName: name)
        case .code(let reading): try facts(forReading: reading, query: input)
        }
    }

    /// `input` as a barcode in any form `ScannedInput` reads; a name is an invalid barcode.
    public func facts(forBarcode input: String) throws -> LookupFacts {
        guard case .code(let reading) = ScannedInput(input) else {
            let problem: InputProblem
            do {
                _ = try GTIN(parsing: input)
                problem = InputProblem(message: "not a barcode")
            } catch {
                problem = InputProblem(error)
            }
            return LookupFacts(query: input, kind: .barcode, problem: problem)
        }
        return try facts(forReading: reading, query: input)
    }

    func facts(forReading reading: CodeReading, query: String) throws -> LookupFacts {
        let input = CodeReading.queryText(query)
        var facts: LookupFacts
        switch reading.readGTIN() {
        case .success(let gtin): facts = try self.facts(forGTIN: gtin, input: input)
        case .failure(let problem): facts = LookupFacts(query: input, kind: .barcode, problem: problem)
        }
        facts.reading = reading
        return facts
    }

    /// Barcode → product → brand → owners → listings, plus listings on the product and its company
    /// prefix. Nothing here judges: the facts go to `VerdictRules`.
    func facts(forGTIN gtin: GTIN, input: String) throws -> LookupFacts {
        let allocation = prefixTable.allocation(for: gtin)
        var barcode = BarcodeInfo(gtin: gtin, input: input, range: prefixTable.range(for: gtin), allocation: allocation)
        guard allocation.isProductLookupAllowed else {
            return LookupFacts(query: input, kind: .barcode, barcode: barcode, allocation: allocation)
        }
        return try read { db in
            if hasCompanyPrefixLengths, let g13 = gtin.gtin13 {
                barcode.companyPrefix = try Self.companyPrefix(db, gtin13: g13)
            }
            var product: ProductInfo?
            var matched: [EntityRef] = []
            var reached: [ListingMatch] = []
            var owners: [OwnershipLink] = []
            var conflicts: [OwnershipContradiction] = []
            if let row = try Row.fetchOne(
                db.cachedStatement(
                    sql: """
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
                    conflicts = reach.conflicts
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
            var facts = LookupFacts(
                query: input, kind: .barcode, barcode: barcode, allocation: allocation, product: product,
                matched: matched, owners: owners, reached: reached
            )
            facts.ownershipContradictions = conflicts
            facts.alternatives = try alternatives(db, for: facts)
            return facts
        }
    }

    /// Name → exact normalised alias match → owners → listings, and what the matched entities own
    /// that is listed. A short name derived from a formal name matches only when one entity derives
    /// it; otherwise, and when nothing matches exactly, the facts are scored candidates, each with
    /// the verdict it would have.
    public func facts(forName input: String) throws -> LookupFacts {
        let key = NameKey(input)
        guard !key.isEmpty else {
            return LookupFacts(
                query: input, kind: .name, problem: InputProblem(message: "type a barcode or a brand or company name"))
        }
        return try read { db in
            let rows = try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT DISTINCT entity_id, name, derived_from, derived_strong FROM alias
                        WHERE norm = ? OR compact = ? ORDER BY derived_from IS NOT NULL
                        """),
                arguments: [key.normalized, key.compact]
            )
            let real = rows.filter { ($0[2] as String?) == nil }
            let strong = rows.filter { ($0[2] as String?) != nil && ($0[3] as Bool?) == true }
            let ids: [Int64]
            var nameMatch: NameMatch?
            if !real.isEmpty {
                ids = Array(Set(real.map { $0[0] as Int64 })).sorted()
                nameMatch = NameMatch(alias: real[0][1])
            } else if Set(strong.map { $0[0] as Int64 }).count == 1, Set(rows.map { $0[0] as Int64 }).count == 1 {
                ids = [strong[0][0]]
                nameMatch = NameMatch(alias: strong[0][1], derivedFrom: strong[0][2])
            } else {
                ids = []
            }
            if ids.count == 1, let reach = try self.reach(db, entityID: ids[0]) {
                var facts = LookupFacts(
                    query: input, kind: .name, matched: [reach.entity], owners: reach.owners, reached: reach.listings,
                    ownedReached: try owned(db, below: reach.entity), nameMatch: nameMatch
                )
                facts.ownershipContradictions = reach.conflicts
                facts.alternatives = try alternatives(db, for: facts)
                return facts
            }
            let matched = try ids.compactMap { try Self.entity(db, id: $0) }
            if matched.isEmpty {
                var candidates = try self.candidates(db, for: key, limit: 5)
                for extra in try Self.wordCandidates(db, for: key) {
                    if let i = candidates.firstIndex(where: { $0.entity.id == extra.entity.id }) {
                        if candidates[i].score < extra.score { candidates[i] = extra }
                    } else {
                        candidates.append(extra)
                    }
                }
                candidates.sort(by: Candidate.ranking)
                candidates = Array(candidates.prefix(5))
                for i in candidates.indices {
                    candidates[i].verdict = try self.wouldBe(db, entityID: candidates[i].entity.id)
                }
                return LookupFacts(query: input, kind: .name, candidates: candidates)
            }
            let walk = try Self.walkOwners(db, from: matched)
            var facts = LookupFacts(
                query: input, kind: .name, matched: matched, owners: walk.links,
                reached: try Self.listings(db, reachedBy: walk), ownedReached: try Self.ownedListings(db, below: matched),
                nameMatch: nameMatch
            )
            facts.ownershipContradictions = try ownershipContradictions(db, on: walk)
            facts.alternatives = try alternatives(db, for: facts)
            return facts
        }
    }

    /// Names that share whole leading words with the query: a known name followed by more words
    /// ("Sabra hummus" → Sabra), or the query followed by more words ("Disney" → Disney+). Scored
    /// by the share of the longer name the shorter covers, from 0.75 up; suggestions only, because
    /// a brand's name followed by other words may name another company's product.
    static func wordCandidates(_ db: Database, for key: NameKey) throws -> [Candidate] {
        let words = key.words
        guard key.compact.unicodeScalars.count >= 4 else { return [] }
        var found: [Candidate] = []
        let select =
            "SELECT a.entity_id, a.name, a.norm, e.name, e.kind, e.country, e.note FROM alias a JOIN entity e ON e.id = a.entity_id"
        func add(_ row: Row, covered: Int, of total: Int) {
            let entity = EntityRef(
                id: row[0], name: row[3], kind: EntityKind(rawValue: row[4]) ?? .company, country: row[5], note: row[6])
            let score = 0.75 + 0.25 * Double(covered) / Double(max(total, 1))
            if let i = found.firstIndex(where: { $0.entity.id == entity.id }) {
                if found[i].score < score { found[i] = Candidate(entity: entity, matchedName: row[1], score: score) }
            } else {
                found.append(Candidate(entity: entity, matchedName: row[1], score: score))
            }
        }
        // The query's leading words name something: the longest such prefix first.
        if words.count > 1 {
            for k in stride(from: words.count - 1, through: 1, by: -1) {
                let prefix = words.prefix(k).joined(separator: " ")
                guard prefix.unicodeScalars.count >= 3 else { break }
                let rows = try Row.fetchAll(
                    db.cachedStatement(sql: select + " WHERE a.norm = ? AND a.derived_from IS NULL LIMIT 5"), arguments: [prefix]
                )
                for row in rows { add(row, covered: prefix.unicodeScalars.count, of: key.normalized.unicodeScalars.count) }
                if !rows.isEmpty { break }
            }
        }
        // Names that start with the query's words.
        let rows = try Row.fetchAll(
            db.cachedStatement(sql: select + " WHERE a.norm > ? AND a.norm < ? AND a.derived_from IS NULL LIMIT 5"),
            arguments: [key.normalized + " ", key.normalized + "!"]
        )
        for row in rows {
            let norm: String = row[2]
            add(row, covered: key.normalized.unicodeScalars.count, of: norm.unicodeScalars.count)
        }
        return found
    }

    /// What sources suggest instead of the matched entities, when something active lists the query
    /// (only a listed answer shows alternatives). A suggestion that is itself listed, or owns
    /// something listed, is left out: its own answer would not be "no listing found".
    func alternatives(_ db: Database, for facts: LookupFacts) throws -> [Alternative] {
        guard hasAlternatives, !facts.matched.isEmpty, facts.reached.contains(where: { $0.listing.isActive }) else {
            return []
        }
        var out: [Alternative] = []
        for entity in facts.matched {
            let rows = try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT a.alternative_id, a.text, a.region, a.category, s.name, coalesce(a.source_url, s.url),
                               coalesce(a.retrieved, s.retrieved)
                        FROM alternative a JOIN source s ON s.id = a.source_id WHERE a.entity_id = ? ORDER BY a.rowid
                        """), arguments: [entity.id])
            for row in rows {
                var suggested: EntityRef?
                if let id: Int64 = row[0] {
                    guard let level = try wouldBe(db, entityID: id), level == .noListingFound else { continue }
                    suggested = try Self.entity(db, id: id)
                }
                out.append(
                    Alternative(
                        forEntity: entity, entity: suggested, text: row[1], region: row[2], category: row[3], suggestedBy: row[4],
                        sourceURL: row[5], retrieved: row[6]))
            }
        }
        return out
    }

    /// The level an entity's own answer would have (its listings upward, or what it owns that is listed).
    func wouldBe(_ db: Database, entityID: Int64) throws -> VerdictLevel? {
        guard let reach = try reach(db, entityID: entityID) else { return nil }
        let facts = LookupFacts(
            query: reach.entity.name, kind: .name, matched: [reach.entity], owners: reach.owners, reached: reach.listings,
            ownedReached: try owned(db, below: reach.entity)
        )
        return VerdictRules.verdict(from: facts).verdict
    }

    /// `ownedListings(below: [entity])`, remembered per store like `reach`: the store never changes
    /// under an open `Store`, and a large owner's walk is one query per company and brand below it.
    func owned(_ db: Database, below entity: EntityRef) throws -> [ListingMatch] {
        if let known = ownedCache.withLock({ $0[entity.id] }) { return known }
        let listings = try Self.ownedListings(db, below: [entity])
        ownedCache.withLock { cache in
            if cache.count >= Self.reachCacheLimit { cache.removeAll(keepingCapacity: true) }
            cache[entity.id] = listings
        }
        return listings
    }

    /// Listings on every entity the given ones own, transitively (cycle-safe), each with the path
    /// down from the owner ("PepsiCo → owns SodaStream"), each listing once.
    static func ownedListings(_ db: Database, below starts: [EntityRef]) throws -> [ListingMatch] {
        var result: [ListingMatch] = []
        var seen = Set(starts.map(\.id))
        var queue: [(EntityRef, LinkPath)] = starts.map { ($0, LinkPath(start: $0.name, links: [])) }
        var index = 0
        while index < queue.count {
            let (owner, path) = queue[index]
            index += 1
            for link in try ownershipLinks(db, of: owner, .down) where link.isActive && seen.insert(link.owned.id).inserted {
                let down = LinkPath(start: path.start, links: path.links + [link])
                for listing in try fetchListings(db, sql: "WHERE l.entity_id = ?", arguments: [link.owned.id], target: link.owned)
                {
                    result.append(ListingMatch(listing: listing, path: down))
                }
                queue.append((link.owned, down))
            }
        }
        return result
    }

    /// Ranked candidates for a typed name, exact matches (score 1) first.
    public func search(_ input: String, limit: Int = 10) throws -> [Candidate] {
        let key = NameKey(input)
        guard !key.isEmpty else { return [] }
        // With the server's name index nothing is read from the store.
        if let index = nameIndex.withLock({ $0 }) { return Self.candidates(index, for: key, limit: limit) }
        return try read { db in try self.candidates(db, for: key, limit: limit) }
    }

    // MARK: - Queries

    /// The GS1 Company Prefix of a GTIN-13: GS1's length list gives, for the longest matching
    /// prefix, how many leading digits belong to the company (0 means none is assigned).
    static func companyPrefix(_ db: Database, gtin13: String) throws -> String? {
        let prefixes = (1...12).map { String(gtin13.prefix($0)) }
        let marks = prefixes.map { _ in "?" }.joined(separator: ",")
        guard
            let length = try Int.fetchOne(
                db.cachedStatement(
                    sql: "SELECT length FROM gcp_length WHERE prefix IN (\(marks)) ORDER BY length(prefix) DESC LIMIT 1"),
                arguments: StatementArguments(prefixes)
            ), length > 0
        else { return nil }
        return String(gtin13.prefix(length))
    }

    /// An entity with everything it reaches upward: its owners, transitively, and the listings on it
    /// and on them, each with its path. Remembered per store (see `EntityReach`).
    func reach(_ db: Database, entityID: Int64) throws -> EntityReach? {
        if let known = reachCache.withLock({ $0[entityID] }) { return known }
        guard let entity = try Self.entity(db, id: entityID) else { return nil }
        let walk = try Self.walkOwners(db, from: [entity])
        let reach = EntityReach(
            entity: entity, owners: walk.links, listings: try Self.listings(db, reachedBy: walk),
            conflicts: try ownershipContradictions(db, on: walk))
        reachCache.withLock { cache in
            if cache.count >= Self.reachCacheLimit { cache.removeAll(keepingCapacity: true) }
            cache[entityID] = reach
        }
        return reach
    }

    static func entity(_ db: Database, id: Int64) throws -> EntityRef? {
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT name, kind, country, note FROM entity WHERE id = ?"), arguments: [id]
            )
        else { return nil }
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
            for link in try ownershipLinks(db, of: entity, .up) {
                if seenLinks.insert([entity.id, link.owner.id]).inserted { walk.links.append(link) }
                // Ended ownership is history: shown with the answer, never walked for listings.
                guard link.isActive else { continue }
                if seen.insert(link.owner.id).inserted {
                    queue.append((link.owner, LinkPath(start: path.start, links: path.links + [link])))
                }
            }
        }
        return walk
    }

    /// The contradictions the build recorded about the entities a walk reached, and about the
    /// entities their links name (a former owner's claim is about the owned entity, so it is met).
    func ownershipContradictions(_ db: Database, on walk: OwnerWalk) throws -> [OwnershipContradiction] {
        guard hasOwnershipContradictions else { return [] }
        var out: [OwnershipContradiction] = []
        for (entity, _) in walk.reached {
            let rows = try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT c.kind, c.claim, c.source_id, coalesce(c.source_url, s.url), coalesce(c.retrieved, s.retrieved),
                               c.against, c.against_source_id, c.against_source_url
                        FROM ownership_conflict c JOIN source s ON s.id = c.source_id WHERE c.owned_id = ? ORDER BY c.rowid
                        """), arguments: [entity.id])
            for row in rows {
                guard let kind = OwnershipContradiction.Kind(rawValue: row[0]) else { continue }
                out.append(
                    OwnershipContradiction(
                        kind: kind, owned: entity, claim: row[1], source: row[2], sourceURL: row[3], retrieved: row[4],
                        against: row[5], againstSource: row[6], againstSourceURL: row[7]))
            }
        }
        return out
    }

    enum Direction { case up, down }

    /// The ownership edges of one entity: to its owners (`up`) or to what it owns (`down`), by name.
    static func ownershipLinks(_ db: Database, of entity: EntityRef, _ direction: Direction) throws -> [OwnershipLink] {
        let sql =
            switch direction {
            case .up:
                """
                SELECT o.owner_id, o.percent, o.source_url, o.retrieved, e.name, e.kind, e.country, e.note,
                       o.source_id, o.start_date, o.end_date, o.note
                FROM ownership o JOIN entity e ON e.id = o.owner_id WHERE o.owned_id = ? ORDER BY o.end_date IS NOT NULL, e.name
                """
            case .down:
                """
                SELECT o.owned_id, o.percent, o.source_url, o.retrieved, e.name, e.kind, e.country, e.note,
                       o.source_id, o.start_date, o.end_date, o.note
                FROM ownership o JOIN entity e ON e.id = o.owned_id WHERE o.owner_id = ? ORDER BY o.end_date IS NOT NULL, e.name
                """
            }
        return try Row.fetchAll(db.cachedStatement(sql: sql), arguments: [entity.id]).map { row in
            let other = EntityRef(
                id: row[0], name: row[4], kind: EntityKind(rawValue: row[5]) ?? .company, country: row[6], note: row[7]
            )
            let (owned, owner) = direction == .up ? (entity, other) : (other, entity)
            return OwnershipLink(
                owned: owned, owner: owner, percent: row[1], sourceURL: row[2], retrieved: row[3], source: row[8],
                startDate: row[9], endDate: row[10], note: row[11])
        }
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
            db.cachedStatement(
                sql: """
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

    /// The same candidates as `candidates(_:for:limit:)` finds through the store, from the name
    /// index alone: its exact aliases, the hundred closest names by trigrams, and its entities.
    static func candidates(_ index: NameIndex, for key: NameKey, limit: Int) -> [Candidate] {
        // `BestPerEntity`'s rule, on alias slots: each entity's best name as a score and a slot, and
        // a `Candidate` (names, entity, copied strings) made only for those that can make the answer.
        // Making one for every improving name was a tenth of the server's time under a search load
        // (perf, the `http.sh` search workload: `candidates`, dictionary look-ups, retains).
        let query = NameSimilarity.Query(key)
        var best: [Int64: (score: Double, slot: Int32, derivedFrom: String?)] = [:]
        func consider(_ slot: Int32, derivedFrom: String?) {
            let entityID = index.entries[Int(slot)].entityID
            let score = NameSimilarity.score(query, index.entries[Int(slot)].candidate)
            if let existing = best[entityID] {
                guard existing.score < score else { return }
            } else if index.entities[entityID] == nil {
                return
            }
            best[entityID] = (score, slot, derivedFrom)
        }
        for (slot, derivedFrom) in index.exactSlots(key) { consider(slot, derivedFrom: derivedFrom) }
        if key.compact.count >= NameSimilarity.minimumFuzzyLength {
            for slot in index.closestSlots(to: trigrams(of: key.normalized), limit: 100) { consider(slot, derivedFrom: nil) }
        }
        let cutoff = Self.cutoff(best.values.lazy.map(\.score), limit: limit)
        var made: [Candidate] = []
        for (entityID, b) in best where b.score >= cutoff {
            guard let entity = index.entities[entityID] else { continue }
            made.append(
                Candidate(
                    entity: entity, matchedName: index.entries[Int(b.slot)].name, score: b.score, derivedFrom: b.derivedFrom))
        }
        return Array(made.sorted(by: Candidate.ranking).prefix(limit))
    }

    /// The `limit`-th best of `scores`: only candidates scoring at least that can make the answer
    /// (minus infinity when all of them can).
    static func cutoff(_ scores: some Collection<Double>, limit: Int) -> Double {
        scores.count > limit && limit > 0 ? scores.sorted(by: >)[limit - 1] : -Double.infinity
    }

    /// Each entity's best-scoring name among those considered; of equal scores, the first is kept.
    struct BestPerEntity {
        private var best: [Int64: Candidate] = [:]

        /// Keeps `make(score)` for `entityID` unless a name of that entity already scores as well.
        mutating func offer(_ entityID: Int64, score: Double, _ make: (Double) -> Candidate?) {
            if let existing = best[entityID], existing.score >= score { return }
            if let candidate = make(score) { best[entityID] = candidate }
        }

        func ranked(limit: Int) -> [Candidate] { Store.ranked(best, limit: limit) }
    }

    /// The first `limit` candidates by `Candidate.ranking`.
    static func ranked(_ best: [Int64: Candidate], limit: Int) -> [Candidate] {
        // Scores first, as plain numbers: only the candidates scoring at least the limit-th best
        // score can make the answer, and only they are sorted with names and ids. Sorting all of
        // the hundred or so candidates with `Candidate.ranking` was half of a server search's time
        // (lookup-bench, 1 M-product store: search p50 0.22 → 0.13 ms; docs/PERFORMANCE.md).
        let all = Array(best.values)
        let cutoff = cutoff(all.lazy.map(\.score), limit: limit)
        return Array(all.filter { $0.score >= cutoff }.sorted(by: Candidate.ranking).prefix(limit))
    }

    func candidates(_ db: Database, for key: NameKey, limit: Int) throws -> [Candidate] {
        if let index = nameIndex.withLock({ $0 }) { return Self.candidates(index, for: key, limit: limit) }
        var pool = BestPerEntity()
        let query = NameSimilarity.Query(key)
        func consider(_ row: Row) {
            // columns: entity_id, alias name, norm, entity name, kind, country, note
            let entityID: Int64 = row[0]
            pool.offer(entityID, score: NameSimilarity.score(query, NameKey(precomputed: row[2]))) { score in
                let entity = EntityRef(
                    id: entityID, name: row[3], kind: EntityKind(rawValue: row[4]) ?? .company, country: row[5], note: row[6])
                return Candidate(entity: entity, matchedName: row[1], score: score, derivedFrom: row.count > 7 ? row[7] : nil)
            }
        }
        let exact = try Row.fetchCursor(
            db.cachedStatement(
                sql: """
                    SELECT a.entity_id, a.name, a.norm, e.name, e.kind, e.country, e.note, a.derived_from
                    FROM alias a JOIN entity e ON e.id = a.entity_id WHERE a.norm = ? OR a.compact = ?
                    """),
            arguments: [key.normalized, key.compact]
        )
        while let row = try exact.next() { consider(row) }
        if key.compact.count >= NameSimilarity.minimumFuzzyLength {
            let grams = Self.trigrams(of: key.normalized)
            if !grams.isEmpty {
                let match = grams.map { "\"\($0.replacingOccurrences(of: "\"", with: "\"\""))\"" }.joined(separator: " OR ")
                // bm25 ranks names sharing more (and rarer) trigrams first; the best 100 are scored.
                let rows = try Row.fetchCursor(
                    db.cachedStatement(
                        sql: """
                            SELECT a.entity_id, a.name, a.norm, e.name, e.kind, e.country, e.note
                            FROM (SELECT rowid FROM alias_fts WHERE alias_fts MATCH ? ORDER BY rank LIMIT 100) f
                            JOIN alias a ON a.id = f.rowid JOIN entity e ON e.id = a.entity_id
                            """),
                    arguments: [match]
                )
                while let row = try rows.next() { consider(row) }
            }
        }
        return pool.ranked(limit: limit)
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

extension Candidate {
    /// Best score first; ties by the name that matched, then by entity, so every path ranks alike.
    static func ranking(_ a: Candidate, _ b: Candidate) -> Bool {
        if a.score != b.score { return a.score > b.score }
        if a.matchedName != b.matchedName { return a.matchedName < b.matchedName }
        return a.entity.id < b.entity.id
    }
}
