import BDSCore
import Foundation
import GRDB
public import Logging

/// Builds a complete store beside the live one, checks it, then swaps it in: all or nothing.
///
/// The new store is written to a temporary file in one transaction by a caller-supplied `load`
/// (the importers), checked, and renamed over the live path only when everything succeeded. Any
/// failure removes the temporary file and leaves the live store as it was. The previous store is
/// kept as `PATH.prev`.
public struct StoreBuild {
    /// Recorded in the store's meta table ("shipped-datasets", "refresh", …).
    public var origin: String
    /// Local files whose changes make the store stale (definitions and the datasets they read).
    public var inputs: [String]
    public var logger: Logger
    /// Runs on the finished new store before it replaces the live one (at that path, if any);
    /// throwing cancels the swap and removes the new store.
    public var beforeSwap: (@Sendable (_ newStore: String, _ liveStore: String?) throws -> Void)?

    public init(origin: String, inputs: [String], logger: Logger) {
        self.origin = origin
        self.inputs = inputs
        self.logger = logger
    }

    /// Writes a new store with `load`, then swaps it in at `path`.
    @discardableResult
    public func run(to path: String, load: (StoreWriter) throws -> Void) throws -> BuildReport {
        let started = Date()
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        let temporary = "\(path).building-\(getpid())"
        try? FileManager.default.removeItem(atPath: temporary)
        // A build killed before its swap (SIGKILL, out of memory, power cut) leaves its whole temporary store.
        StaleFiles.remove(
            in: directory.isEmpty ? "." : directory, prefix: (path as NSString).lastPathComponent + ".building-"
        )
        do {
            var report = try write(to: temporary, load: load)
            try beforeSwap?(temporary, FileManager.default.fileExists(atPath: path) ? path : nil)
            try swapIn(temporary, at: path)
            report.seconds = Date().timeIntervalSince(started)
            logger.info("store built", metadata: ["path": "\(path)", "seconds": "\(String(format: "%.2f", report.seconds))"])
            return report
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
    }

    /// Builds a complete store beside `path` and runs the swap check (`beforeSwap`) against the live
    /// store, then removes it: a refresh that changes nothing, reporting what it would change.
    @discardableResult
    public func dryRun(beside path: String, load: (StoreWriter) throws -> Void) throws -> BuildReport {
        let started = Date()
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        StaleFiles.remove(in: directory.isEmpty ? "." : directory, prefix: (path as NSString).lastPathComponent + ".dry-run-")
        let scratch = "\(path).dry-run-\(getpid())"
        try? FileManager.default.removeItem(atPath: scratch)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        var report = try write(to: scratch, load: load)
        try beforeSwap?(scratch, FileManager.default.fileExists(atPath: path) ? path : nil)
        report.seconds = Date().timeIntervalSince(started)
        return report
    }

    /// Writes and checks a finished store at `temporary`, without swapping it anywhere.
    func write(to temporary: String, load: (StoreWriter) throws -> Void) throws -> BuildReport {
        var config = Configuration()
        config.foreignKeysEnabled = false  // checked once, after the load, with foreign_key_check
        config.label = "bdscheck.build"
        config.prepareDatabase { db in
            // Crash-safety comes from building a separate file and renaming it, so the build itself
            // can skip the journal and fsyncs. A 32 MB page cache keeps memory flat at any input size.
            try db.execute(
                sql: """
                    PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
                    PRAGMA cache_size = -32768; PRAGMA locking_mode = EXCLUSIVE;
                    """)
        }
        let queue = try DatabaseQueue(path: temporary, configuration: config)
        try StoreSchema.migrator.migrate(queue)
        let report = try queue.writeWithoutTransaction { db -> BuildReport in
            var report = BuildReport()
            try db.inTransaction {
                let writer = StoreWriter(db: db, report: BuildReport())
                try load(writer)
                try writer.deriveShortNames()
                writer.noteUnusedRules()
                report = writer.report
                try db.execute(sql: StoreSchema.postLoadSQL)
                try recordMeta(db)
                return .commit
            }
            try Self.validate(db)
            try db.execute(sql: "PRAGMA optimize; PRAGMA journal_mode = DELETE")
            return report
        }
        try queue.close()
        return report
    }

    func recordMeta(_ db: Database) throws {
        let meta: [(String, String)] = [
            ("built_at", ISO8601DateFormatter().string(from: Date())),
            // built_at has whole seconds: two builds in one second are told apart by this.
            ("build_id", UUID().uuidString),
            ("origin", origin),
            ("format", "1"),
            ("name_key", NameKey.version),
            ("complete", "1"),
        ]
        for (k, v) in meta {
            try db.execute(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", arguments: [k, v])
        }
        for path in Set(inputs).sorted() {
            guard let f = InputFile.current(path: path) else { continue }
            try db.execute(
                sql: "INSERT OR REPLACE INTO input_file (path, size, mtime) VALUES (?, ?, ?)",
                arguments: [f.path, f.size, f.mtime]
            )
        }
    }

    /// Checks what per-row inserts did not: references and the file's own integrity.
    static func validate(_ db: Database) throws {
        if let row = try Row.fetchOne(db, sql: "PRAGMA foreign_key_check") {
            throw ImportError(file: "store", message: "a row in \(row[0] as String) refers to a missing \(row[2] as String) row")
        }
        let check = try String.fetchOne(db, sql: "PRAGMA quick_check") ?? "no answer"
        guard check == "ok" else { throw ImportError(file: "store", message: "integrity check failed: \(check)") }
    }

    /// Keeps the live store as `PATH.prev` (a hard link) and renames the new one over `PATH` in one step,
    /// so readers always find either the old store or the new one.
    func swapIn(_ temporary: String, at path: String) throws {
        let previous = path + ".prev"
        // The build writes without fsync; the new file's bytes must be on disk before a rename that could be.
        try Self.sync(temporary)
        if FileManager.default.fileExists(atPath: path) {
            unlink(previous)
            if link(path, previous) != 0 {
                logger.warning("could not keep the previous store", metadata: ["reason": "\(String(cString: strerror(errno)))"])
            }
        }
        guard rename(temporary, path) == 0 else {
            throw ImportError(file: path, message: "could not move the new store into place: \(String(cString: strerror(errno)))")
        }
        let directory = (path as NSString).deletingLastPathComponent
        try? Self.sync(directory.isEmpty ? "." : directory)  // the rename itself
    }

    static func sync(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ImportError(file: path, message: "cannot open to sync: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        guard fsync(fd) == 0 else {
            throw ImportError(file: path, message: "cannot sync to disk: \(String(cString: strerror(errno)))")
        }
    }
}
