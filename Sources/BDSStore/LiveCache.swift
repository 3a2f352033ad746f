public import BDSCore
public import Foundation
import GRDB

/// What a live source said about barcodes the store does not hold (`--online`), kept beside the
/// store in its own file (`live-cache.sqlite`; the store itself is never written) so that each code
/// is asked about once per expiry period, "not found" included.
public final class LiveCache: Sendable {
    public let path: String
    let pool: DatabasePool

    /// How long an answer is kept: a product for 30 days, "not found" for 7 (it may be added).
    public static let foundSeconds: TimeInterval = 30 * 86_400
    public static let notFoundSeconds: TimeInterval = 7 * 86_400

    /// `live-cache.sqlite` in the store's folder.
    public static func defaultPath(forStore storePath: String) -> String {
        SideDatabase.path("live-cache.sqlite", besideStore: storePath)
    }

    public init(path: String) throws {
        self.path = path
        pool = try SideDatabase.open(path: path, label: "bdscheck.live-cache") { migrator in
            migrator.registerMigration("v1: live answers") { db in
                // found: 1 with the product's fields, 0 with the source's reason (status_verbose).
                try db.execute(
                    sql: """
                        CREATE TABLE live_answer (
                            gtin INTEGER PRIMARY KEY,
                            source TEXT NOT NULL,
                            found INTEGER NOT NULL,
                            name TEXT,
                            brands TEXT,
                            brand_owner TEXT,
                            reason TEXT,
                            source_url TEXT,
                            fetched TEXT NOT NULL,
                            expires_at REAL NOT NULL
                        );
                        """)
            }
        }
    }

    /// The answer kept for `gtin`, unless it has expired.
    public func answer(for gtin: GTIN, now: Date = Date()) throws -> LiveLookupOutcome? {
        try pool.read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT source, found, name, brands, brand_owner, reason, source_url, fetched FROM live_answer
                        WHERE gtin = ? AND expires_at > ?
                        """, arguments: [Int64(gtin.value), now.timeIntervalSince1970])
            else { return nil }
            let source: String = row[0], fetched: String = row[7]
            if row[1] as Bool {
                let brands = (row[3] as String?).map(LiveProduct.splitBrands) ?? []
                return .found(
                    LiveProduct(
                        name: row[2], brands: brands, brandOwner: row[4], sourceName: source, sourceURL: row[6] ?? "",
                        fetched: fetched), cached: true)
            }
            return .notFound(source: source, reason: row[5] ?? "not found", fetched: fetched, cached: true)
        }
    }

    /// Keeps a found or not-found answer (an unreachable source is never kept).
    public func keep(_ outcome: LiveLookupOutcome, for gtin: GTIN, now: Date = Date()) throws {
        try pool.write { db in
            switch outcome {
            case .found(let p, _):
                try db.execute(
                    sql: """
                        INSERT OR REPLACE INTO live_answer
                            (gtin, source, found, name, brands, brand_owner, reason, source_url, fetched, expires_at)
                        VALUES (?, ?, 1, ?, ?, ?, NULL, ?, ?, ?)
                        """,
                    arguments: [
                        Int64(gtin.value), p.sourceName, p.name, p.brands.joined(separator: ", "), p.brandOwner, p.sourceURL,
                        p.fetched, now.timeIntervalSince1970 + Self.foundSeconds,
                    ])
            case .notFound(let source, let reason, let fetched, _):
                try db.execute(
                    sql: """
                        INSERT OR REPLACE INTO live_answer
                            (gtin, source, found, name, brands, brand_owner, reason, source_url, fetched, expires_at)
                        VALUES (?, ?, 0, NULL, NULL, NULL, ?, NULL, ?, ?)
                        """,
                    arguments: [
                        Int64(gtin.value), source, reason, fetched, now.timeIntervalSince1970 + Self.notFoundSeconds,
                    ])
            case .unavailable: break
            }
        }
    }
}
