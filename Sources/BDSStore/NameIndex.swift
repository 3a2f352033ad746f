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
    /// Per alias slot: the alias row id and its number of distinct trigrams.
    private let aliasIDs: [Int64]
    private let gramCounts: [UInt16]
    /// Trigram → alias slots that contain it (each slot once).
    private let postings: [String: [Int32]]

    init(_ db: Database) throws {
        var ids: [Int64] = []
        var counts: [UInt16] = []
        var postings: [String: [Int32]] = [:]
        let rows = try Row.fetchCursor(db, sql: "SELECT id, norm FROM alias ORDER BY id")
        while let row = try rows.next() {
            let slot = Int32(ids.count)
            let grams = Store.trigrams(of: row[1])
            ids.append(row[0])
            counts.append(UInt16(clamping: grams.count))
            for gram in grams { postings[gram, default: []].append(slot) }
        }
        aliasIDs = ids
        gramCounts = counts
        self.postings = postings
    }

    var count: Int { aliasIDs.count }

    /// The alias ids of the `limit` names closest to `grams` by trigram Dice coefficient, best first.
    func closest(to grams: [String], limit: Int) -> [Int64] {
        guard !grams.isEmpty else { return [] }
        var shared = [UInt16](repeating: 0, count: aliasIDs.count)
        var touched: [Int32] = []
        for gram in grams {
            guard let slots = postings[gram] else { continue }
            for slot in slots {
                if shared[Int(slot)] == 0 { touched.append(slot) }
                shared[Int(slot)] &+= 1
            }
        }
        let queryCount = Double(grams.count)
        var scored = touched.map { slot -> (dice: Double, slot: Int32) in
            (2 * Double(shared[Int(slot)]) / (queryCount + Double(gramCounts[Int(slot)])), slot)
        }
        scored.sort { $0.dice != $1.dice ? $0.dice > $1.dice : $0.slot < $1.slot }
        return scored.prefix(limit).map { aliasIDs[Int($0.slot)] }
    }
}
