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
        /// Where the data came from: the definition's file, a download, or a kept local copy
        /// (absent in stores built before it was recorded).
        public var origin: SourceOrigin?
        /// Rows made per target ("product", "entity", "ownership", "listing", "gs1-prefix", "gcp-length").
        public var inserted: [String: Int]?
        /// Records set aside by an `on-invalid = "report"` emit.
        public var invalid: Int?
        /// Emits skipped because a `skip-when-empty` field was empty.
        public var skipped: Int?
        /// Product rows whose code identifies no product (in-store, book, coupon), not stored.
        public var nonProductCodes: Int?
    }

    /// The short form of the last refresh's report, kept beside the store (`reportPath(forStore:)`).
    public struct LastRefresh: Codable, Sendable {
        public struct Source: Codable, Sendable {
            public var id: String
            public var records: Int
            /// Records set aside.
            public var invalid: Int
        }

        /// When the refresh ended (ISO 8601).
        public var finishedAt: String?
        /// The `built_at` of the store it built.
        public var builtAt: String?
        public var dryRun: Bool
        public var sources: [Source]
        /// Sources the maintainer dropped on purpose (`refresh --drop`).
        public var dropped: [String]
        /// Whether the store in place is the one that refresh built (by its meta `build_id`); false
        /// after a rollback, a pull or a build by other means. Absent when the report does not say
        /// which store it built.
        public var describesThisStore: Bool?
    }

    public var path: String
    public var builtAt: String?
    public var origin: String?
    /// Rows per table: companies, brands, products, listings (active and ended), ….
    public var counts: [String: Int]
    public var sources: [Source]
    /// Absent when no refresh has written its report beside the store.
    public var lastRefresh: LastRefresh?

    /// Where `bdscheck refresh` keeps the report of the last refresh of the store at `storePath`.
    public static func reportPath(forStore storePath: String) -> String { storePath + ".report.json" }
}

extension Store {
    public func summary() throws -> StoreSummary {
        var summary = try read { db in
            let sources = try Self.sources(db)
            var counts: [String: Int] = [:]
            let queries = [
                ("companies", "SELECT count(*) FROM entity WHERE kind = 'company'"),
                ("brands", "SELECT count(*) FROM entity WHERE kind = 'brand'"),
                ("aliases", "SELECT count(*) FROM alias"),
                ("ownership links", "SELECT count(*) FROM ownership"),
                ("ended ownership links", "SELECT count(*) FROM ownership WHERE end_date IS NOT NULL"),
                ("ownership contradictions", "SELECT count(*) FROM ownership_conflict"),
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
        summary.lastRefresh = Self.lastRefresh(
            reportAt: StoreSummary.reportPath(forStore: path), storeBuildID: try meta("build_id"))
        return summary
    }

    /// Every source row; the columns of migration v3 read as absent in a store built before it.
    static func sources(_ db: Database) throws -> [StoreSummary.Source] {
        let recordsOrigin = try db.columns(in: "source").contains { $0.name == "origin" }
        let extra =
            recordsOrigin
            ? "origin, origin_location, etag, last_modified, obtained_at, inserted, invalid, skipped, non_product_codes"
            : "NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL"
        return try Row.fetchAll(
            db,
            sql: "SELECT id, name, url, licence, retrieved, sha256, bytes, records, imported_at, \(extra) FROM source ORDER BY id"
        ).map { row in
            let kind = (row[9] as String?).flatMap(SourceOrigin.Kind.init(rawValue:))
            let location: String? = row[10]
            let inserted = (row[14] as String?).flatMap { try? JSONDecoder().decode([String: Int].self, from: Data($0.utf8)) }
            return StoreSummary.Source(
                id: row[0], name: row[1], url: row[2], licence: row[3], retrieved: row[4], sha256: row[5], bytes: row[6],
                records: row[7], importedAt: row[8],
                origin: kind.map {
                    SourceOrigin(kind: $0, location: location ?? "", etag: row[11], lastModified: row[12], obtainedAt: row[13])
                },
                inserted: inserted, invalid: row[15], skipped: row[16], nonProductCodes: row[17]
            )
        }
    }

    /// The short form of the refresh report at `path`, or nil when there is none or it cannot be read.
    ///
    /// Reads only the keys it shows, as `bdscheck refresh` writes them: `report.sources[]` (`id`,
    /// `records`, `invalid`, from `BuildReport`), `dryRun`, `finishedAt`, `builtAt`, `buildID` and
    /// `dropped[].id`.
    static func lastRefresh(reportAt path: String, storeBuildID: String?) -> StoreSummary.LastRefresh? {
        struct Dropped: Decodable { var id: String }
        struct Report: Decodable { var sources: [StoreSummary.LastRefresh.Source] }
        struct ReportFile: Decodable {
            var report: Report
            var dryRun: Bool?
            var finishedAt: String?
            var builtAt: String?
            var buildID: String?
            var dropped: [Dropped]?
        }
        guard let data = FileManager.default.contents(atPath: path),
            let file = try? JSONDecoder().decode(ReportFile.self, from: data)
        else { return nil }
        return StoreSummary.LastRefresh(
            finishedAt: file.finishedAt, builtAt: file.builtAt, dryRun: file.dryRun ?? false,
            sources: file.report.sources,
            dropped: (file.dropped ?? []).map(\.id),
            describesThisStore: file.buildID.map { $0 == storeBuildID }
        )
    }
}
