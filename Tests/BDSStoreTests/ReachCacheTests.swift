import BDSCore
import BDSStore
import BDSTestSupport
import Foundation
import GRDB
import Testing

/// Owner chains and listings are remembered per store after the first lookup; a remembered answer
/// must be the answer a fresh store gives, whichever query (barcode or name) walked the chain first.
@Suite("Remembered owner chains")
struct ReachCacheTests {
    @Test("every query answers the same on a fresh store, on a second ask, and in the reverse order")
    func sameAnswers() throws {
        let path = FixtureStore.shared.path
        var config = Configuration()
        config.readonly = true
        let (gtins, names) = try DatabaseQueue(path: path, configuration: config).read { db in
            (try Int64.fetchAll(db, sql: "SELECT gtin FROM product"), try String.fetchAll(db, sql: "SELECT name FROM alias"))
        }
        let queries = gtins.compactMap { GTIN(storageKey: UInt64($0))?.canonical } + names
        #expect(queries.count >= 20)

        var fresh: [String: Verdict] = [:]
        for q in queries { fresh[q] = try Store(path: path).verdict(for: q) }
        let forward = try Store(path: path), backward = try Store(path: path)
        for q in queries { #expect(try forward.verdict(for: q) == fresh[q], "\(q)") }
        for q in queries { #expect(try forward.verdict(for: q) == fresh[q], "\(q), asked again") }
        for q in queries.reversed() { #expect(try backward.verdict(for: q) == fresh[q], "\(q), reverse order") }
        #expect(
            fresh.values.contains { !$0.owners.isEmpty && !$0.listings.isEmpty },
            "the fixture should reach listings through owners")
    }
}
