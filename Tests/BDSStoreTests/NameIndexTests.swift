import BDSCore
import BDSStore
import BDSTestSupport
import Foundation
import GRDB
import Testing

/// The server's in-memory name index must give the same suggestions as the FTS5 query the CLI uses:
/// all candidates where both see every name sharing a trigram, and every candidate at or above the
/// suggestion threshold on the shipped data.
@Suite("In-memory name index")
struct NameIndexTests {
    @Test("The first few candidates are the first few of the whole ranking, ties at the cut included")
    func limitIsAPrefixOfTheRanking() throws {
        let path = ShippedDataTests.store.path
        var config = Configuration()
        config.readonly = true
        let names = try DatabaseQueue(path: path, configuration: config).read { db in
            try String.fetchAll(db, sql: "SELECT name FROM alias ORDER BY id LIMIT 400")
        }
        let indexed = try Store(path: path)
        _ = try indexed.prepareNameIndex()
        var tiesAtTheCut = 0
        for name in names {
            for q in [name, String(name.dropLast()), String(name.prefix(4))] {
                let whole = try indexed.search(q, limit: 10_000)
                for limit in [1, 3, 10] {
                    #expect(try indexed.search(q, limit: limit) == Array(whole.prefix(limit)), "\(q), limit \(limit)")
                    if whole.count > limit, whole[limit].score == whole[limit - 1].score { tiesAtTheCut += 1 }
                }
            }
        }
        #expect(tiesAtTheCut > 0, "some cuts fall inside a run of equal scores")
    }

    @Test("search and name verdicts answer the same with and without the index", arguments: ["fixture", "shipped"])
    func sameAnswers(storeName: String) throws {
        let path = storeName == "fixture" ? FixtureStore.shared.path : ShippedDataTests.store.path
        var config = Configuration()
        config.readonly = true
        let names = try DatabaseQueue(path: path, configuration: config).read { db in
            try String.fetchAll(db, sql: "SELECT name FROM alias ORDER BY id")
        }
        var queries = names
        for name in names where name.count > 4 {
            var chars = Array(name)
            chars.remove(at: chars.count / 2)
            queries.append(String(chars))  // one letter dropped
            queries.append(String(name.reversed()))  // shares trigrams, resembles nothing
        }
        let plain = try Store(path: path)
        let indexed = try Store(path: path)
        #expect(try indexed.prepareNameIndex() == names.count)
        var suggested = 0
        for q in queries {
            let a = try plain.search(q), b = try indexed.search(q)
            if storeName == "fixture" {
                // Fewer than 100 names share a trigram with any query: both score every one of them.
                #expect(a == b, "search \(q)")
            } else {
                // Long company names share common trigrams ("ltd", "ion") with hundreds of others, so
                // the two pick different low-scoring tails; every suggestion a person sees must agree.
                let shown = { (c: [Candidate]) in c.filter { $0.score >= NameSimilarity.suggestionThreshold } }
                #expect(shown(a) == shown(b), "search \(q)")
            }
            #expect(try plain.verdict(for: q) == indexed.verdict(for: q), "verdict \(q)")
            if a.contains(where: { $0.score < 1 && $0.score >= NameSimilarity.suggestionThreshold }) { suggested += 1 }
        }
        #expect(suggested > 3, "typos should produce scored suggestions")
    }
}
