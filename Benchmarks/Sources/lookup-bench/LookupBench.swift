import BDSCore
import BDSStore
import Foundation
import GRDB
import GRDBSQLite

/// In-process lookup latencies on a built store, each against a baseline timed in the same run.
///
///     lookup-bench STORE [--samples 10000] [--names 1000] [--seed 1] [--results FILE]
///
/// - `Store.verdict(forBarcode:)` (GTIN parse, product, brand, owner chain, listings) over random known
///   GTINs, against a raw prepared sqlite3 statement `SELECT name, brand_id FROM product WHERE gtin = ?`
///   on the same GTINs (C API, no GRDB). The two run in alternating blocks after a warm-up pass, so
///   noise from the shared machine falls on both. The warm-up pass of verdicts is timed as well
///   (each sample's first lookup on a fresh `Store`, before its owner reach is remembered). Products
///   from sources other than the generated export (the shipped data, when the store has it: the ones
///   whose brands reach listings) are timed apart, 100 lookups each.
/// - `Store.search(_:)` over random brand names as stored, and with one letter dropped (the fuzzy path).
@main
struct LookupBench {
    static func main() throws {
        let options = try Options(CommandLine.arguments.dropFirst())
        var rng = SplitMix64(seed: options.seed)

        // Samples, through a connection of our own (BDSKit exposes no raw queries).
        var config = Configuration()
        config.readonly = true
        let sampler = try DatabaseQueue(path: options.store, configuration: config)
        let (productCount, aliasCount, gtins, brandNames, shipped) = try sampler.read {
            db -> (Int, Int, [Int64], [String], [Int64]) in
            let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM product") ?? 0
            let aliases = try Int.fetchOne(db, sql: "SELECT count(*) FROM alias") ?? 0
            // Leave out restricted-circulation codes (EAN-8 starting with 2, EAN-13 200–299): the verdict
            // answers those without a query once the GS1 table is loaded, so they are not lookups.
            var all = try Int64.fetchAll(
                db,
                sql: """
                    SELECT gtin FROM product
                    WHERE gtin NOT BETWEEN 20000000 AND 29999999 AND gtin NOT BETWEEN 2000000000000 AND 2999999999999
                    """)
            all.shuffle(using: &rng)
            var names = try String.fetchAll(db, sql: "SELECT name FROM entity WHERE kind = 'brand' ORDER BY id")
            names.shuffle(using: &rng)
            // Products from every source but the generated export: with the shipped data in the store,
            // these are the ones whose brands reach listings (the longer path through the verdict).
            let shipped = try Int64.fetchAll(
                db, sql: "SELECT gtin FROM product WHERE source_id <> 'open-food-facts' ORDER BY gtin LIMIT 1000")
            return (count, aliases, Array(all.prefix(options.samples)), Array(names.prefix(options.names)), shipped)
        }
        try sampler.close()
        guard !gtins.isEmpty else { throw BenchError("no products in \(options.store)") }
        let codes = gtins.map { GTIN(storageKey: UInt64($0))?.canonical ?? String($0) }

        let store = try Store(path: options.store)
        let raw = try RawLookup(path: options.store)
        print(
            "lookup-bench on \(options.store): \(productCount) products, \(aliasCount) names; \(gtins.count) sampled GTINs, \(brandNames.count) brand names, seed \(options.seed)"
        )

        // Warm-up: one pass of each over every sample (statement caches, page cache, branch predictors).
        // The verdict pass is timed too: it is each sample's first lookup on this `Store` (an entity's
        // owner reach is remembered per store), the figure for a server's first requests.
        var sink = 0
        var firstNs: [UInt64] = []
        firstNs.reserveCapacity(codes.count)
        for code in codes {
            let t0 = now()
            sink &+= try store.verdict(forBarcode: code).owners.count
            firstNs.append(now() - t0)
        }
        for g in gtins { sink &+= raw.lookup(g).count }

        var verdictNs: [UInt64] = [], rawNs: [UInt64] = []
        verdictNs.reserveCapacity(codes.count)
        rawNs.reserveCapacity(codes.count)
        var found = 0, withOwners = 0, listed = 0, rawFound = 0
        let block = 500
        for start in stride(from: 0, to: codes.count, by: block) {
            let range = start..<min(start + block, codes.count)
            for i in range {
                let t0 = now()
                let v = try store.verdict(forBarcode: codes[i])
                let t1 = now()
                verdictNs.append(t1 - t0)
                if v.product != nil { found += 1 }
                if !v.owners.isEmpty { withOwners += 1 }
                if v.verdict != .noListingFound && v.verdict != .unknown { listed += 1 }
            }
            for i in range {
                let t0 = now()
                let name = raw.lookup(gtins[i])
                let t1 = now()
                rawNs.append(t1 - t0)
                if !name.isEmpty { rawFound += 1 }
            }
        }
        let v = Percentiles(verdictNs), r = Percentiles(rawNs)
        print(
            "  barcode verdict  Store.verdict(forBarcode:)  \(v.describe(unit: .micro))   (product found \(found)/\(codes.count), owner chain on \(withOwners), a listing on \(listed))"
        )
        print(
            "  baseline         raw sqlite3 prepared stmt   \(r.describe(unit: .micro))   (row found \(rawFound)/\(codes.count))")
        print(String(format: "  ratio verdict/raw: p50 %.1fx, p99 %.1fx", v.p50 / r.p50, v.p99 / r.p99))
        let first = Percentiles(firstNs)
        print("  first lookups    warm-up pass, fresh Store   \(first.describe(unit: .micro))")
        // The shipped products, each looked up 100 times after one warm-up lookup.
        var shippedNs: [UInt64] = [], shippedListed = 0
        let shippedCodes = shipped.map { GTIN(storageKey: UInt64($0))?.canonical ?? String($0) }
        for code in shippedCodes {
            let v = try store.verdict(forBarcode: code)
            if v.verdict != .noListingFound && v.verdict != .unknown { shippedListed += 1 }
        }
        for _ in 0..<(shippedCodes.isEmpty ? 0 : 100) {
            for code in shippedCodes {
                let t0 = now()
                sink &+= try store.verdict(forBarcode: code).listings.count
                shippedNs.append(now() - t0)
            }
        }
        let listedP = shippedNs.isEmpty ? nil : Percentiles(shippedNs)
        if let listedP {
            print(
                "  shipped products Store.verdict(forBarcode:)  \(listedP.describe(unit: .micro))   (\(shippedCodes.count) products not from the export, \(shippedListed) with a listing; 100 lookups each)"
            )
        }

        // Name search: as stored, then with one letter dropped (no exact alias: the trigram path decides).
        // First as a one-off CLI search runs it (FTS5 trigram query), then with the in-memory name
        // index `bdscheck serve` builds when it opens a store.
        let typos = brandNames.map { dropOneLetter($0, using: &rng) }
        func searches(_ label: String) throws -> (exact: Percentiles, typo: Percentiles, exactHits: Int, typoHits: Int) {
            var exactNs: [UInt64] = [], typoNs: [UInt64] = []
            var exactHits = 0, typoHits = 0
            for name in brandNames.prefix(100) { sink &+= try store.search(name).count }  // warm-up
            for (name, typo) in zip(brandNames, typos) {
                var t0 = now()
                let a = try store.search(name)
                var t1 = now()
                exactNs.append(t1 - t0)
                if a.first?.matchedName == name { exactHits += 1 }
                t0 = now()
                let b = try store.search(typo)
                t1 = now()
                typoNs.append(t1 - t0)
                if b.contains(where: { $0.matchedName == name }) { typoHits += 1 }
            }
            let e = Percentiles(exactNs), t = Percentiles(typoNs)
            print(
                "  search \(label), exact brand name    \(e.describe(unit: .milli))   (top hit right \(exactHits)/\(brandNames.count))"
            )
            print(
                "  search \(label), one letter dropped  \(t.describe(unit: .milli))   (right name among hits \(typoHits)/\(brandNames.count))"
            )
            return (e, t, exactHits, typoHits)
        }
        let fts = try searches("(FTS5, CLI)   ")
        let t0 = now()
        let indexed = try store.prepareNameIndex()
        let indexMs = Double(now() - t0) / 1e6
        print(String(format: "  name index (server): %d names in %.1f ms", indexed, indexMs))
        let mem = try searches("(index, serve)")
        let (e, t, exactHits, typoHits) = mem
        if sink == Int.min { print(sink) }

        if let file = options.results {
            let lines = [
                "products=\(productCount)", "aliases=\(aliasCount)", "samples=\(codes.count)",
                "verdict_p50_us=\(v.p50 / 1e3)", "verdict_p90_us=\(v.p90 / 1e3)", "verdict_p99_us=\(v.p99 / 1e3)",
                "verdict_max_us=\(v.max / 1e3)", "raw_p50_us=\(r.p50 / 1e3)", "raw_p90_us=\(r.p90 / 1e3)",
                "raw_p99_us=\(r.p99 / 1e3)", "raw_max_us=\(r.max / 1e3)", "verdict_found=\(found)",
                "verdict_with_owners=\(withOwners)",
                "verdict_first_p50_us=\(first.p50 / 1e3)", "verdict_first_p99_us=\(first.p99 / 1e3)",
                "verdict_listed=\(listed)", "shipped_products=\(shippedCodes.count)", "shipped_listed=\(shippedListed)",
                "shipped_p50_us=\((listedP?.p50 ?? 0) / 1e3)", "shipped_p99_us=\((listedP?.p99 ?? 0) / 1e3)",
                "search_names=\(brandNames.count)", "search_p50_ms=\(e.p50 / 1e6)", "search_p99_ms=\(e.p99 / 1e6)",
                "search_typo_p50_ms=\(t.p50 / 1e6)", "search_typo_p99_ms=\(t.p99 / 1e6)",
                "search_exact_hits=\(exactHits)", "search_typo_hits=\(typoHits)",
                "fts_search_p50_ms=\(fts.exact.p50 / 1e6)", "fts_search_p99_ms=\(fts.exact.p99 / 1e6)",
                "fts_search_typo_p50_ms=\(fts.typo.p50 / 1e6)", "fts_search_typo_p99_ms=\(fts.typo.p99 / 1e6)",
                "fts_search_typo_hits=\(fts.typoHits)", "name_index_ms=\(indexMs)",
            ]
            try (lines.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        }
    }

    static func dropOneLetter(_ name: String, using rng: inout SplitMix64) -> String {
        var chars = Array(name)
        let letters = chars.indices.filter { chars[$0].isLetter }
        guard letters.count >= 5 else { return name }
        chars.remove(at: letters[1 + Int(rng.next() % UInt64(letters.count - 2))])
        return String(chars)
    }
}

/// `SELECT name, brand_id FROM product WHERE gtin = ?` through the sqlite3 C API: one prepared statement, reused,
/// on a connection opened like the store's (read-only, `immutable=1`).
final class RawLookup {
    private var db: OpaquePointer?
    private var statement: OpaquePointer?

    init(path: String) throws {
        // Opened as the store opens its own connections (read-only, immutable: no lock and no
        // change check around each statement), so the ratio compares query work with query work.
        let uri =
            "file:"
            + path.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "?", with: "%3f")
            .replacingOccurrences(of: "#", with: "%23") + "?immutable=1"
        guard sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nil) == SQLITE_OK else {
            throw BenchError("sqlite3_open_v2 \(path) failed")
        }
        guard sqlite3_prepare_v2(db, "SELECT name, brand_id FROM product WHERE gtin = ?", -1, &statement, nil) == SQLITE_OK else {
            throw BenchError("prepare failed: \(String(cString: sqlite3_errmsg(db)))")
        }
    }

    deinit {
        sqlite3_finalize(statement)
        sqlite3_close(db)
    }

    /// The product's name (empty when there is none), read the way a minimal tool would.
    @inline(never)
    func lookup(_ gtin: Int64) -> String {
        defer { sqlite3_reset(statement) }
        sqlite3_bind_int64(statement, 1, gtin)
        guard sqlite3_step(statement) == SQLITE_ROW else { return "" }
        let brand = sqlite3_column_int64(statement, 1)
        guard let text = sqlite3_column_text(statement, 0) else { return brand == 0 ? "" : "?" }
        return String(cString: text)
    }
}

struct Percentiles {
    let p50: Double, p90: Double, p99: Double, max: Double

    init(_ nanoseconds: [UInt64]) {
        let s = nanoseconds.sorted()
        func at(_ q: Double) -> Double { Double(s[Swift.min(s.count - 1, Int(Double(s.count) * q))]) }
        p50 = at(0.50)
        p90 = at(0.90)
        p99 = at(0.99)
        max = Double(s.last ?? 0)
    }

    enum Unit { case micro, milli }

    func describe(unit: Unit) -> String {
        let (div, name, format) = unit == .micro ? (1e3, "µs", "%7.1f") : (1e6, "ms", "%7.3f")
        return [("p50", p50), ("p90", p90), ("p99", p99), ("max", max)]
            .map { "\($0.0) \(String(format: format, $0.1 / div)) \(name)" }.joined(separator: "  ")
    }
}

struct Options {
    var store: String
    var samples = 10_000
    var names = 1_000
    var seed: UInt64 = 1
    var results: String?

    init(_ arguments: ArraySlice<String>) throws {
        var store: String?
        var it = arguments.makeIterator()
        func value(_ flag: String) throws -> String {
            guard let v = it.next() else { throw BenchError("\(flag) needs a value") }
            return v
        }
        while let a = it.next() {
            switch a {
            case "--samples": samples = Int(try value(a)) ?? samples
            case "--names": names = Int(try value(a)) ?? names
            case "--seed": seed = UInt64(try value(a)) ?? seed
            case "--results": results = try value(a)
            case "-h", "--help":
                print("usage: lookup-bench STORE [--samples 10000] [--names 1000] [--seed 1] [--results FILE]")
                exit(0)
            default:
                guard store == nil, !a.hasPrefix("-") else { throw BenchError("unexpected argument \(a)") }
                store = a
            }
        }
        guard let store else {
            throw BenchError("usage: lookup-bench STORE [--samples N] [--names N] [--seed S] [--results FILE]")
        }
        self.store = store
    }
}

/// A small seeded generator, so that a run's samples can be drawn again.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

@inline(__always)
func now() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
}
