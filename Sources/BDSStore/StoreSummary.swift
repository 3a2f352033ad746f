import Foundation
import GRDB

/// What a store holds and where it came from, for `bdscheck sources` and `GET /v1/sources`.
public struct StoreSummary: Codable, Sendable {
    public struct Source: Codable, Sendable {
        public var id: String
        public var name: String
        public var url: String?
        public var licence: String?
        public var retrieved: String?
        public var sha256: String?
        public var bytes: Int64?
        public var records: Int
        public var importedAt: String
    }

    public var path: String
    public var builtAt: String?
    public var origin: String?
    /// Rows per table: companies, brands, products, listings (active and ended), ….
    public var counts: [String: Int]
    public var sources: [Source]
}

extension Store {
    public func summary() throws -> StoreSummary {
        try read { db in
            let sources = try Row.fetchAll(
                db, sql: "SELECT id, name, url, licence, retrieved, sha256, bytes, records, imported_at FROM source ORDER BY id"
            ).map {
                StoreSummary.Source(
                    id: $0[0], name: $0[1], url: $0[2], licence: $0[3], retrieved: $0[4], sha256: $0[5], bytes: $0[6],
                    records: $0[7], importedAt: $0[8]
                )
            }
            var counts: [String: Int] = [:]
            let queries = [
                ("companies", "SELECT count(*) FROM entity WHERE kind = 'company'"),
                ("brands", "SELECT count(*) FROM entity WHERE kind = 'brand'"),
                ("aliases", "SELECT count(*) FROM alias"),
                ("ownership links", "SELECT count(*) FROM ownership"),
                ("products", "SELECT count(*) FROM product"),
                ("active listings", "SELECT count(*) FROM listing WHERE end_date IS NULL"),
                ("ended listings", "SELECT count(*) FROM listing WHERE end_date IS NOT NULL"),
                ("GS1 prefix ranges", "SELECT count(*) FROM gs1_prefix"),
            ]
            for (name, sql) in queries { counts[name] = try Int.fetchOne(db, sql: sql) ?? 0 }
            return StoreSummary(
                path: path,
                builtAt: try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'built_at'"),
                origin: try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'origin'"),
                counts: counts, sources: sources
            )
        }
    }
}
