import BDSCore
import Foundation
import GRDB

/// What changed between the live store and a newly built one.
///
/// A listing is identified across builds by its source, campaign, category, target name and start
/// date (row ids are not stable); companies and brands by kind and name.
public struct StoreDiff: Codable, Sendable {
    public struct ListingKey: Codable, Sendable, Hashable, Comparable {
        public var source: String
        public var campaign: String
        public var category: String
        public var target: String
        public var startDate: String

        public static func < (a: ListingKey, b: ListingKey) -> Bool {
            (a.source, a.target, a.campaign, a.category, a.startDate) < (b.source, b.target, b.campaign, b.category, b.startDate)
        }
    }

    public struct Names: Codable, Sendable {
        public var count: Int
        /// The first few, for display.
        public var sample: [String]
    }

    public var listingsAdded: [ListingKey] = []
    /// Listings active before and ended now.
    public var listingsEnded: [ListingKey] = []
    public var listingsRemoved: [ListingKey] = []
    public var entitiesAdded = Names(count: 0, sample: [])
    public var entitiesRemoved = Names(count: 0, sample: [])
    public var productsBefore = 0
    public var productsAfter = 0
    /// Listings per source, before and after.
    public var listingsPerSource: [String: [Int]] = [:]
    /// Rows per source and kind ("products", "entities", "ownership", "listings", "gs1-prefixes",
    /// "prefix-lengths"), before and after: what the drop guard compares.
    public var rowsPerSource: [String: [String: [Int]]] = [:]

    public var isEmpty: Bool {
        listingsAdded.isEmpty && listingsEnded.isEmpty && listingsRemoved.isEmpty
            && entitiesAdded.count == 0 && entitiesRemoved.count == 0 && productsBefore == productsAfter
            && rowsPerSource.values.allSatisfy { $0.values.allSatisfy { $0[0] == $0[1] } }
    }

    /// Compares the store at `newPath` with the one at `oldPath`.
    public static func compute(new newPath: String, old oldPath: String) throws -> StoreDiff {
        var config = Configuration()
        config.readonly = true
        let queue = try DatabaseQueue(path: newPath, configuration: config)
        defer { try? queue.close() }
        return try queue.inDatabase { db in
            try db.execute(sql: "ATTACH DATABASE ? AS old", arguments: [oldPath])
            defer { try? db.execute(sql: "DETACH DATABASE old") }
            var diff = StoreDiff()
            func listings(_ schema: String) throws -> [ListingKey: Bool] {
                var result: [ListingKey: Bool] = [:]
                let rows = try Row.fetchCursor(
                    db,
                    sql: """
                        SELECT l.source_id, l.campaign, l.category,
                               coalesce(e.name, 'product ' || l.gtin, 'company prefix ' || l.gcp), coalesce(l.start_date, ''),
                               l.end_date IS NULL
                        FROM \(schema).listing l LEFT JOIN \(schema).entity e ON e.id = l.entity_id
                        """)
                while let row = try rows.next() {
                    result[ListingKey(source: row[0], campaign: row[1], category: row[2], target: row[3], startDate: row[4])] =
                        row[5]
                }
                return result
            }
            let before = try listings("old"), after = try listings("main")
            for (key, active) in after {
                if let was = before[key] {
                    if was && !active { diff.listingsEnded.append(key) }
                } else {
                    diff.listingsAdded.append(key)
                }
            }
            diff.listingsRemoved = before.keys.filter { after[$0] == nil }
            diff.listingsAdded.sort()
            diff.listingsEnded.sort()
            diff.listingsRemoved.sort()
            for (key, _) in before { diff.listingsPerSource[key.source, default: [0, 0]][0] += 1 }
            for (key, _) in after { diff.listingsPerSource[key.source, default: [0, 0]][1] += 1 }

            func names(_ sql: String) throws -> Names {
                let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM (\(sql))") ?? 0
                let sample = try String.fetchAll(db, sql: "SELECT kind || ' ' || name FROM (\(sql)) ORDER BY name LIMIT 20")
                return Names(count: count, sample: sample)
            }
            diff.entitiesAdded = try names("SELECT kind, name FROM main.entity EXCEPT SELECT kind, name FROM old.entity")
            diff.entitiesRemoved = try names("SELECT kind, name FROM old.entity EXCEPT SELECT kind, name FROM main.entity")
            for (kind, table) in Self.countedTables {
                for schema in ["old", "main"] {
                    // A store built before a table existed has none of its rows.
                    let present =
                        try Bool.fetchOne(
                            db, sql: "SELECT EXISTS (SELECT 1 FROM \(schema).sqlite_master WHERE type = 'table' AND name = ?)",
                            arguments: [table]) ?? false
                    guard present else { continue }
                    let rows = try Row.fetchAll(db, sql: "SELECT source_id, count(*) FROM \(schema).\(table) GROUP BY source_id")
                    for row in rows {
                        let source: String = row[0], count: Int = row[1]
                        diff.rowsPerSource[source, default: [:]][kind, default: [0, 0]][schema == "old" ? 0 : 1] = count
                    }
                }
            }
            diff.productsBefore = try Int.fetchOne(db, sql: "SELECT count(*) FROM old.product") ?? 0
            diff.productsAfter = try Int.fetchOne(db, sql: "SELECT count(*) FROM main.product") ?? 0
            return diff
        }
    }

    /// The record kinds the drop guard counts, with their tables.
    static let countedTables: [(kind: String, table: String)] = [
        ("products", "product"), ("entities", "entity"), ("ownership", "ownership"), ("listings", "listing"),
        ("gs1-prefixes", "gs1_prefix"), ("prefix-lengths", "gcp_length"), ("alternatives", "alternative"),
    ]

    /// A source whose rows of one kind would shrink by more than the guard allows.
    public struct Drop: Sendable, Equatable, CustomStringConvertible {
        public var source: String
        public var kind: String
        public var before: Int
        public var after: Int

        public var description: String { "\(source): \(kind) \(before) → \(after)" }
    }

    /// Every source and record kind that would shrink by more than `maxShare` (0…1) of what it had;
    /// a source gone from the new store entirely counts as dropping everything.
    public func excessiveDrops(maxShare: Double) -> [Drop] {
        var drops: [Drop] = []
        for (source, kinds) in rowsPerSource {
            for (kind, counts) in kinds {
                let (before, after) = (counts[0], counts[1])
                guard before > 0, Double(before - after) / Double(before) > maxShare else { continue }
                drops.append(Drop(source: source, kind: kind, before: before, after: after))
            }
        }
        return drops.sorted { ($0.source, $0.kind) < ($1.source, $1.kind) }
    }

    /// Lines for a person.
    public var lines: [String] {
        var out: [String] = []
        func list(_ title: String, _ keys: [ListingKey]) {
            guard !keys.isEmpty else { return }
            out.append("\(title): \(keys.count)")
            for k in keys.prefix(20) {
                out.append(
                    "  \(k.target) — \(k.campaign), \(k.category)\(k.startDate.isEmpty ? "" : " since \(k.startDate)") [\(k.source)]"
                )
            }
            if keys.count > 20 { out.append("  … and \(keys.count - 20) more") }
        }
        list("Listings added", listingsAdded)
        list("Listings ended", listingsEnded)
        list("Listings removed", listingsRemoved)
        for (title, names) in [("Companies and brands added", entitiesAdded), ("Companies and brands removed", entitiesRemoved)]
        where names.count > 0 {
            out.append(
                "\(title): \(names.count)"
                    + (names.sample.isEmpty
                        ? "" : " (\(names.sample.prefix(8).joined(separator: ", "))\(names.count > 8 ? ", …" : ""))"))
        }
        if productsBefore != productsAfter {
            out.append(
                "Products: \(productsBefore) → \(productsAfter) (\(productsAfter >= productsBefore ? "+" : "")\(productsAfter - productsBefore))"
            )
        }
        for (source, kinds) in rowsPerSource.sorted(by: { $0.key < $1.key }) {
            let changed = kinds.filter { $0.value[0] != $0.value[1] }.sorted { $0.key < $1.key }
            guard !changed.isEmpty else { continue }
            out.append("  \(source): " + changed.map { "\($0.key) \($0.value[0]) → \($0.value[1])" }.joined(separator: ", "))
        }
        if out.isEmpty { out.append("No changes: every source has the same rows of every kind.") }
        return out
    }
}
