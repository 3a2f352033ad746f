public import BDSCore
import Foundation
import GRDB
import Synchronization

/// Why a store could not be used, with what to do about it.
public enum StoreError: Error, CustomStringConvertible, Sendable {
    case missing(path: String)
    case unreadable(path: String, reason: String)
    case incomplete(path: String)
    /// Built before a schema change this version reads (a missing migration of `StoreSchema`).
    case outdated(path: String)

    public var description: String {
        switch self {
        case .missing(let path):
            "no store at \(path): build it with `bdscheck refresh --store \(path)`"
        case .unreadable(let path, let reason):
            "the store at \(path) cannot be read (\(reason)): rebuild it with `bdscheck refresh --store \(path)`"
        case .incomplete(let path):
            "the store at \(path) was not finished by its build: rebuild it with `bdscheck refresh --store \(path)`"
        case .outdated(let path):
            "the store at \(path) was built by an older bdscheck, with an older layout: rebuild it with `bdscheck refresh --store \(path)`"
        }
    }
}

/// A finished store, opened read-only for lookups.
///
/// Lookups are synchronous and take microseconds, so they run on the caller's thread: an async hop
/// per lookup would cost more than the lookup itself. `connections` read-only connections let that
/// many threads look up at once. Safe to share across tasks.
public final class Store: Sendable {
    public let path: String
    let readers: [DatabaseQueue]
    let nextReader = Atomic<Int>(0)
    public let prefixTable: GS1PrefixTable
    /// Whether any listing targets a product or a company prefix (skips two queries per barcode when not).
    let hasProductListings: Bool
    let hasCompanyPrefixListings: Bool
    /// Whether GS1's company-prefix length list is loaded.
    let hasCompanyPrefixLengths: Bool
    /// Whether any source suggests alternatives (skips a query per listed answer when not).
    let hasAlternatives: Bool
    /// Whether the build recorded any ownership contradiction (skips that query per answer when not).
    let hasOwnershipContradictions: Bool
    /// Owner chains and listings already walked, by entity id.
    let reachCache = Mutex<[Int64: EntityReach]>([:])
    /// Listings below each entity through what it owns, already walked (name answers and suggestions
    /// need them; barcode answers do not), by entity id.
    let ownedCache = Mutex<[Int64: [ListingMatch]]>([:])
    /// Entries kept before either cache starts over (a few MB; real data has a few thousand brands).
    static let reachCacheLimit = 100_000
    /// The in-memory trigram index for fuzzy names, once `prepareNameIndex()` has built it.
    let nameIndex = Mutex<NameIndex?>(nil)
    /// The data version and date every answer from this store carries (meta `data_version`, `snapshot_created_at`, `built_at`).
    public let dataStamp: DataStamp

    public init(path: String, connections: Int = 1) throws {
        guard FileManager.default.fileExists(atPath: path) else { throw StoreError.missing(path: path) }
        var config = Configuration()
        config.readonly = true
        // The store read through a memory map rather than a `pread` per page: a finished store is
        // never written in place (a refresh renames a new file over it, and the old file stays
        // mapped until its connections close), and `pread` was a tenth of a batch profile's
        // samples. SQLite caps the size at its build's limit (2 GB in Debian's libsqlite3).
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA mmap_size = 2147418112") }
        config.label = "bdscheck.store"
        do {
            let queue = try DatabaseQueue(path: Self.immutableURI(path), configuration: config)
            // Read with `inDatabase`, one statement a question, and the table list read once rather
            // than through GRDB's `tableExists` and migrator (each loads its schema cache): opening
            // was a fifth of a cold check's time.
            let facts = try queue.inDatabase { db -> (Bool, [GS1PrefixRange], Bool, Bool, Bool, DataStamp, Bool, Bool, Bool) in
                let none = DataStamp(version: nil, date: nil)
                let tables = Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'"))
                guard tables.contains("meta") else { return (false, [], false, false, false, none, false, false, false) }
                var meta: [String: String] = [:]
                for row in try Row.fetchAll(
                    db,
                    sql:
                        "SELECT key, value FROM meta WHERE key IN ('complete', 'data_version', 'snapshot_created_at', 'built_at')"
                ) {
                    meta[row[0]] = row[1]
                }
                let ranges = try Row.fetchAll(db, sql: #"SELECT start, "end", usage FROM gs1_prefix"#).map {
                    GS1PrefixRange(start: $0[0], end: $0[1], usage: $0[2])
                }
                let exists = { (table: String, condition: String) throws -> Bool in
                    guard tables.contains(table) else { return false }
                    return try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM \(table) \(condition))") ?? false
                }
                let stamp = DataStamp(
                    version: meta["data_version"].flatMap { Int64($0) }, date: meta["snapshot_created_at"] ?? meta["built_at"])
                // Every migration this version knows has run (GRDB's `hasCompletedMigrations`).
                let applied =
                    tables.contains("grdb_migrations")
                    ? Set(try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")) : []
                let current = applied.isSuperset(of: StoreSchema.migrator.migrations)
                return (
                    meta["complete"] == "1", ranges, try exists("listing", "WHERE gtin IS NOT NULL"),
                    try exists("listing", "WHERE gcp IS NOT NULL"), try exists("gcp_length", ""), stamp,
                    try exists("alternative", ""), try exists("ownership_conflict", ""), current
                )
            }
            guard facts.0 else { throw StoreError.incomplete(path: path) }
            guard facts.8 else { throw StoreError.outdated(path: path) }
            var readers = [queue]
            for _ in 1..<max(1, connections) {
                readers.append(try DatabaseQueue(path: Self.immutableURI(path), configuration: config))
            }
            self.readers = readers
            prefixTable = GS1PrefixTable(ranges: facts.1)
            hasProductListings = facts.2
            hasCompanyPrefixListings = facts.3
            hasCompanyPrefixLengths = facts.4
            dataStamp = facts.5
            hasAlternatives = facts.6
            hasOwnershipContradictions = facts.7
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.unreadable(path: path, reason: "\(error)")
        }
        self.path = path
    }

    /// The store file as an SQLite URI with `immutable=1`.
    ///
    /// Why: a store file is never written once it is finished. A refresh builds a new file and
    /// renames it over the path, and a rollback renames too, so a file an open connection reads
    /// never changes under it. Telling SQLite so skips the file lock and the change-counter read
    /// that it otherwise makes around every statement, and keeps its page cache across
    /// statements: two `fcntl` calls and a `pread` per query were the largest part of a lookup's
    /// time outside SQLite's own work (profiled on a 5 M-product store).
    static func immutableURI(_ path: String) -> String {
        var escaped = ""
        for ch in path.unicodeScalars {
            switch ch {
            case "%": escaped += "%25"
            case "?": escaped += "%3f"
            case "#": escaped += "%23"
            default: escaped.unicodeScalars.append(ch)
            }
        }
        return "file:" + escaped + "?immutable=1"
    }

    /// How many read-only connections the store was opened with.
    public var connectionCount: Int { readers.count }

    /// Runs `body` on one of the read-only connections.
    ///
    /// `inDatabase` rather than GRDB's `read`: the connections are opened read-only by SQLite
    /// itself, so `read`'s per-call `query_only` toggling would only add two statements to every
    /// lookup (profiled as most of a lookup's non-SQL time under HTTP load).
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        let i = readers.count == 1 ? 0 : nextReader.add(1, ordering: .relaxed).oldValue % readers.count
        return try readers[i].inDatabase(body)
    }

    /// Builds the in-memory index that fuzzy name searches use from then on (see `NameIndex`); for
    /// long-running processes. Returns the number of names indexed.
    @discardableResult
    public func prepareNameIndex() throws -> Int {
        if let built = nameIndex.withLock({ $0 }) { return built.count }
        let index = try read { db in try NameIndex(db) }
        nameIndex.withLock { $0 = index }
        return index.count
    }

    /// A value from the `meta` table ("built_at", "origin", …).
    public func meta(_ key: String) throws -> String? {
        try read { db in try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [key]) }
    }

    /// The local files the store was built from, with the size and modification time they had then.
    public func inputFiles() throws -> [InputFile] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT path, size, mtime FROM input_file ORDER BY path").map {
                InputFile(path: $0[0], size: $0[1], mtime: $0[2])
            }
        }
    }
}

/// What one entity reaches through ownership: the owner links, transitively, and every listing on
/// the entity or its owners, with the path to it.
///
/// Why it is remembered: a barcode lookup used to walk the owner chain with two queries per owner,
/// the largest part of a lookup's time after the product row itself. The store is read-only and a
/// reload opens a new `Store`, so an entity's reach never changes while it is cached. Brands number
/// in the thousands where products number in the millions, so after warm-up nearly every lookup
/// is one product query and one dictionary hit.
struct EntityReach: Sendable {
    let entity: EntityRef
    let owners: [OwnershipLink]
    let listings: [ListingMatch]
    let conflicts: [OwnershipContradiction]
}

/// A local file a store was built from, for telling whether the store is older than its data.
public struct InputFile: Sendable, Hashable, Codable {
    public var path: String
    public var size: Int64
    public var mtime: Double

    public init(path: String, size: Int64, mtime: Double) {
        self.path = path
        self.size = size
        self.mtime = mtime
    }

    /// The file as it is on disk now, or nil if it is gone.
    public static func current(path: String) -> InputFile? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        #if os(Linux)
        let mtime = Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9
        #else
        let mtime = Double(st.st_mtimespec.tv_sec) + Double(st.st_mtimespec.tv_nsec) / 1e9
        #endif
        return InputFile(path: path, size: Int64(st.st_size), mtime: mtime)
    }
}
