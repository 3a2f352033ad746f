public import Foundation
import GRDB

/// "This answer is wrong": reports from shoppers, kept in their own SQLite database beside the
/// store (`reports.sqlite`), never in the read-only store, so they survive refreshes, rollbacks and
/// snapshot swaps. WAL mode: the server adds reports while `bdscheck reports` reads and resolves.
///
/// A report holds what the shopper saw (the query, the answer's level and data version), what
/// they say is wrong and, if they give one, a way to reach them. Nothing about the client (no
/// address) is stored. Maintainers resolve each with a decision and its reason; `export` writes
/// them as JSON lines a campaign can publish (without contacts).
public final class ReportStore: Sendable {
    public let path: String
    let pool: DatabasePool

    /// Field limits, in characters.
    public static let maxQuery = 200
    public static let maxMessage = 2000
    public static let maxContact = 200
    public static let maxLevel = 40
    public static let maxDataVersion = 60
    /// Open reports kept at most; past this a new one is refused until maintainers resolve some.
    public static let maxOpen = 10_000

    public enum Decision: String, Codable, Sendable, CaseIterable {
        /// The data was changed as the report asked.
        case corrected
        /// The answer stands: the sources say what it says.
        case rejected
        /// Another report already covers it.
        case duplicate
        /// Nothing to act on (spam, an empty complaint).
        case invalid
    }

    public struct Report: Codable, Sendable, Equatable {
        public var id: Int64
        public var createdAt: String
        public var query: String
        public var level: String?
        public var dataVersion: String?
        public var message: String
        public var contact: String?
        /// "open" until a decision is recorded, then "resolved" (derived from `decision`).
        public var status: String
        public var decision: Decision?
        public var reason: String?
        public var resolvedAt: String?
    }

    public struct New: Sendable {
        public var query: String
        public var level: String?
        public var dataVersion: String?
        public var message: String
        public var contact: String?

        public init(query: String, level: String?, dataVersion: String?, message: String, contact: String?) {
            self.query = query
            self.level = level
            self.dataVersion = dataVersion
            self.message = message
            self.contact = contact
        }
    }

    public enum ReportError: Error, Equatable, CustomStringConvertible {
        case invalid(field: String, message: String)
        case full
        case notFound(Int64)
        case alreadyResolved(Int64)

        public var description: String {
            switch self {
            case .invalid(let field, let message): "\(field): \(message)"
            case .full: "the report queue is full (\(ReportStore.maxOpen) open reports); try again later"
            case .notFound(let id): "no report \(id)"
            case .alreadyResolved(let id): "report \(id) is already resolved"
            }
        }
    }

    /// The reports database beside the store at `storePath`.
    public static func path(besideStore storePath: String) -> String {
        SideDatabase.path("reports.sqlite", besideStore: storePath)
    }

    public init(path: String) throws {
        self.path = path
        pool = try SideDatabase.open(path: path, label: "bdscheck.reports") { migrator in
            migrator.registerMigration("v1: reports") { db in
                try db.execute(
                    sql: """
                        CREATE TABLE report (
                            id INTEGER PRIMARY KEY,
                            created_at TEXT NOT NULL,
                            query TEXT NOT NULL,
                            level TEXT,
                            data_version TEXT,
                            message TEXT NOT NULL,
                            contact TEXT,
                            decision TEXT CHECK (decision IS NULL OR decision IN ('corrected', 'rejected', 'duplicate', 'invalid')),
                            reason TEXT,
                            resolved_at TEXT
                        );
                        CREATE INDEX report_by_decision ON report(decision IS NULL, id);
                        """)
            }
        }
    }

    /// The journal mode in use ("wal").
    public func journalMode() throws -> String {
        try pool.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") ?? "" }
    }

    /// Checks a new report's fields; the first problem is thrown, naming the field.
    public static func validate(_ r: New) throws -> New {
        func clean(_ s: String?) -> String? {
            guard let t = s?.trimmingCharacters(in: .whitespacesAndNewlines), !t.isEmpty else { return nil }
            return t
        }
        func check(_ value: String?, _ field: String, max: Int, required: Bool = false) throws -> String? {
            let v = clean(value)
            if required && v == nil { throw ReportError.invalid(field: field, message: "required, and not empty") }
            if let v, v.count > max {
                throw ReportError.invalid(field: field, message: "at most \(max) characters (this has \(v.count))")
            }
            if let v, v.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\n" && $0 != "\t" }) {
                throw ReportError.invalid(field: field, message: "control characters are not allowed")
            }
            return v
        }
        return New(
            query: try check(r.query, "query", max: maxQuery, required: true)!,
            level: try check(r.level, "level", max: maxLevel),
            dataVersion: try check(r.dataVersion, "dataVersion", max: maxDataVersion),
            message: try check(r.message, "message", max: maxMessage, required: true)!,
            contact: try check(r.contact, "contact", max: maxContact)
        )
    }

    /// Adds a report (validated), and returns it.
    @discardableResult
    public func add(_ new: New, now: Date = Date()) throws -> Report {
        let r = try Self.validate(new)
        return try pool.write { db in
            let open = try Int.fetchOne(db, sql: "SELECT count(*) FROM report WHERE decision IS NULL") ?? 0
            guard open < Self.maxOpen else { throw ReportError.full }
            try db.execute(
                sql: "INSERT INTO report (created_at, query, level, data_version, message, contact) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [Self.timestamp(now), r.query, r.level, r.dataVersion, r.message, r.contact])
            return try Self.fetch(db, id: db.lastInsertedRowID)!
        }
    }

    /// Reports in order of arrival: "open" ones (no decision yet), "resolved" ones, or all (nil).
    public func list(status: String? = nil) throws -> [Report] {
        try pool.read { db in
            let rows =
                if let status {
                    try Row.fetchAll(
                        db, sql: "SELECT * FROM report WHERE (decision IS NULL) = ? ORDER BY id", arguments: [status == "open"])
                } else {
                    try Row.fetchAll(db, sql: "SELECT * FROM report ORDER BY id")
                }
            return rows.map(Self.report)
        }
    }

    public func report(id: Int64) throws -> Report {
        guard let r = try pool.read({ try Self.fetch($0, id: id) }) else { throw ReportError.notFound(id) }
        return r
    }

    /// Records the maintainers' decision and its reason; a resolved report stays resolved.
    @discardableResult
    public func resolve(id: Int64, decision: Decision, reason: String, now: Date = Date()) throws -> Report {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw ReportError.invalid(field: "reason", message: "say why, for the public record") }
        return try pool.write { db in
            guard let r = try Self.fetch(db, id: id) else { throw ReportError.notFound(id) }
            guard r.status == "open" else { throw ReportError.alreadyResolved(id) }
            try db.execute(
                sql: "UPDATE report SET decision = ?, reason = ?, resolved_at = ? WHERE id = ?",
                arguments: [decision.rawValue, reason, Self.timestamp(now), id])
            return try Self.fetch(db, id: id)!
        }
    }

    /// One JSON object per line, oldest first: every report with its decision, for publishing.
    /// Contacts are left out unless `includeContacts`.
    public func exportJSONLines(includeContacts: Bool = false) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try list().map { r -> String in
            var r = r
            if !includeContacts { r.contact = nil }
            return String(decoding: try encoder.encode(r), as: UTF8.self) + "\n"
        }.joined()
    }

    static func fetch(_ db: Database, id: Int64) throws -> Report? {
        try Row.fetchOne(db, sql: "SELECT * FROM report WHERE id = ?", arguments: [id]).map(report)
    }

    static func report(_ row: Row) -> Report {
        Report(
            id: row["id"], createdAt: row["created_at"], query: row["query"], level: row["level"],
            dataVersion: row["data_version"], message: row["message"], contact: row["contact"],
            status: (row["decision"] as String?) == nil ? "open" : "resolved",
            decision: (row["decision"] as String?).flatMap(Decision.init(rawValue:)), reason: row["reason"],
            resolvedAt: row["resolved_at"])
    }

    static func timestamp(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: date)
    }
}
