import BDSCore
import GRDB

/// Every alias's trigrams, held in memory, for choosing which names to score against a typed name.
///
/// Why it exists: the FTS5 query behind fuzzy candidates ORs all of the typed name's trigrams and
/// lets bm25 rank every name that shares any one of them before its LIMIT applies; common trigrams
/// ("ara", "lin") match thousands of names, so a search over 75,000 names took ~14 ms at the
/// median (docs/PERFORMANCE.md). Here the shared trigrams are counted in one flat array per query,
/// about a hundred microseconds at that size. Building it reads every alias once (a few hundred
/// milliseconds at 100,000 names), so only a long-running process builds it (`bdscheck serve`,
/// through `Store.prepareNameIndex()`); a one-off CLI search uses the FTS5 query instead.
///
/// The candidates it picks are the names with the highest Dice coefficient on trigrams,
/// 2·shared / (query trigrams + name trigrams); `NameSimilarity` then scores them as before.
final class NameIndex: Sendable {
    /// One alias: what scoring and the answer need, so that a search reads no alias rows.
    struct Entry: Sendable {
        let entityID: Int64
        let name: String
        /// The normalised name, prepared for scoring.
        let candidate: NameSimilarity.Candidate
    }

    /// Per alias slot: the alias and its number of distinct trigrams.
    let entries: [Entry]
    private let gramCounts: [UInt16]
    /// Trigram → alias slots that contain it (each slot once).
    private let postings: [String: [Int32]]
    /// The alias table's `norm` and `compact` columns → alias slots: the exact matches.
    private let byNorm: [String: [Int32]]
    private let byCompact: [String: [Int32]]
    /// Alias slot → the short name's formal name (`alias.derived_from`), for the few derived ones.
    private let derivedFrom: [Int32: String]
    /// Every entity, for the answer's candidates. With these a search reads nothing from the store:
    /// reading the ten answered entities back (ten SELECTs through the connection pool's queue) was a
    /// tenth of the server's time under a search load (perf, `http.sh` search workload).
    let entities: [Int64: EntityRef]

    init(_ db: Database) throws {
        var entries: [Entry] = []
        var counts: [UInt16] = []
        var postings: [String: [Int32]] = [:]
        var byNorm: [String: [Int32]] = [:], byCompact: [String: [Int32]] = [:], derivedFrom: [Int32: String] = [:]
        let rows = try Row.fetchCursor(
            db, sql: "SELECT entity_id, name, norm, compact, derived_from FROM alias ORDER BY id")
        while let row = try rows.next() {
            let slot = Int32(entries.count)
            let norm: String = row[2]
            let entry = Entry(entityID: row[0], name: row[1], candidate: NameSimilarity.Candidate(NameKey(precomputed: norm)))
            let grams = Store.trigrams(of: norm)
            entries.append(entry)
            counts.append(UInt16(clamping: grams.count))
            for gram in grams { postings[gram, default: []].append(slot) }
            byNorm[norm, default: []].append(slot)
            byCompact[row[3], default: []].append(slot)
            if let formal: String = row[4] { derivedFrom[slot] = formal }
        }
        var entities: [Int64: EntityRef] = [:]
        let entityRows = try Row.fetchCursor(db, sql: "SELECT id, name, kind, country, note FROM entity")
        while let row = try entityRows.next() {
            let id: Int64 = row[0]
            entities[id] = EntityRef(
                id: id, name: row[1], kind: EntityKind(rawValue: row[2]) ?? .company, country: row[3], note: row[4])
        }
        self.entries = entries
        gramCounts = counts
        self.postings = postings
        self.byNorm = byNorm
        self.byCompact = byCompact
        self.derivedFrom = derivedFrom
        self.entities = entities
    }

    /// The aliases whose `norm` is `key.normalized` or whose `compact` is `key.compact`, as the
    /// store's exact query finds them, as alias slots (into `entries`), each with the formal name it
    /// was derived from, if any.
    func exactSlots(_ key: NameKey) -> [(slot: Int32, derivedFrom: String?)] {
        var slots = byNorm[key.normalized] ?? []
        for slot in byCompact[key.compact] ?? [] where !slots.contains(slot) { slots.append(slot) }
        return slots.map { ($0, derivedFrom[$0]) }
    }

    var count: Int { entries.count }

    /// The `limit` aliases closest to `grams` by trigram Dice coefficient, best first, as alias
    /// slots (into `entries`), without copying the entries out.
    func closestSlots(to grams: [String], limit: Int) -> [Int32] {
        guard !grams.isEmpty else { return [] }
        var shared = [UInt16](repeating: 0, count: entries.count)
        var touched: [Int32] = []
        for gram in grams {
            guard let slots = postings[gram] else { continue }
            for slot in slots {
                if shared[Int(slot)] == 0 { touched.append(slot) }
                shared[Int(slot)] &+= 1
            }
        }
        // Names that share under a third of the typed name's trigrams are not close to it; ranking
        // them too (tens of thousands for common trigrams) was most of a search's time. They stay
        // in the pool when too few names remain without them.
        let minimumShared = UInt16(max(1, grams.count / 3))
        let pool = touched.filter { shared[Int($0)] >= minimumShared }
        if pool.count >= limit { touched = pool }
        // The best `limit`, kept in order as they come: most names fall below the last kept one
        // and cost one comparison. Sorting every touched name (thousands for common trigrams)
        // was 4.4 % of the server's time under a search load (perf, the `http.sh` search workload).
        let queryCount = Double(grams.count)
        var best: [(dice: Double, slot: Int32)] = []
        best.reserveCapacity(limit + 1)
        func before(_ a: (dice: Double, slot: Int32), _ b: (dice: Double, slot: Int32)) -> Bool {
            a.dice != b.dice ? a.dice > b.dice : a.slot < b.slot
        }
        for slot in touched {
            let item = (dice: 2 * Double(shared[Int(slot)]) / (queryCount + Double(gramCounts[Int(slot)])), slot: slot)
            if best.count == limit, let last = best.last, !before(item, last) { continue }
            var i = best.count
            while i > 0, before(item, best[i - 1]) { i -= 1 }
            best.insert(item, at: i)
            if best.count > limit { best.removeLast() }
        }
        return best.map(\.slot)
    }
}
