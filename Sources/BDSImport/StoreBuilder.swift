import BDSStore
import Foundation
import GRDB
import Logging

/// Builds a complete store from importer definitions beside the live one, then swaps it in.
///
/// All-or-nothing: the new store is written to a temporary file in one transaction, checked, and
/// renamed over the live path only when everything succeeded. Any failure removes the temporary
/// file and leaves the live store as it was. The previous store is kept as `PATH.prev`.
public struct StoreBuilder {
    public var definitions: [ImportDefinition]
    /// Paths in messages are shown relative to this folder.
    public var displayRoot: String?
    /// Recorded in the store's meta table ("shipped-datasets", "refresh", …).
    public var origin: String
    public var logger: Logger
    /// More local files whose changes make the store stale (definitions not built by default).
    public var extraInputs: [String] = []
    /// Runs on the finished new store before it replaces the live one (at that path, if any);
    /// throwing cancels the swap and removes the new store.
    public var beforeSwap: (@Sendable (_ newStore: String, _ liveStore: String?) throws -> Void)?
    /// Called now and then while a source streams in.
    public var progress: (@Sendable (_ source: String, _ bytesRead: Int64, _ totalBytes: Int64, _ records: Int) -> Void)?

    public init(definitions: [ImportDefinition], displayRoot: String? = nil, origin: String, logger: Logger) {
        self.definitions = definitions
        self.displayRoot = displayRoot
        self.origin = origin
        self.logger = logger
    }

    @discardableResult
    public func build(to path: String) throws -> BuildReport {
        let started = Date()
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        let temporary = "\(path).building-\(getpid())"
        try? FileManager.default.removeItem(atPath: temporary)
        // A build killed before its swap (SIGKILL, out of memory, power cut) leaves its whole temporary store.
        ScratchFiles.removeStale(
            in: directory.isEmpty ? "." : directory, prefix: (path as NSString).lastPathComponent + ".building-"
        )
        do {
            var report = try write(to: temporary)
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

    func write(to temporary: String) throws -> BuildReport {
        var config = Configuration()
        config.foreignKeysEnabled = false  // checked once, after the load, with foreign_key_check
        config.label = "bdscheck.build"
        config.prepareDatabase { db in
            // Crash-safety comes from building a separate file and renaming it, so the build itself
            // can skip the journal and fsyncs. A 32 MB page cache keeps memory flat at any input size.
            try db.execute(sql: """
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
                for definition in definitions {
                    try load(definition, writer: writer)
                }
                report = writer.report
                try db.execute(sql: StoreSchema.postLoadSQL)
                try recordMeta(db)
                return .commit
            }
            try validate(db)
            try db.execute(sql: "PRAGMA optimize; PRAGMA journal_mode = DELETE")
            return report
        }
        try queue.close()
        return report
    }

    func load(_ definition: ImportDefinition, writer: StoreWriter) throws {
        let location = definition.source.location
        guard !location.hasPrefix("http://"), !location.hasPrefix("https://") else {
            throw ImportError(
                file: display(definition.path), field: "source.fetch", value: location,
                message: "this source is fetched from the network: use `bdscheck refresh` to download it first"
            )
        }
        guard FileManager.default.fileExists(atPath: location) else {
            throw ImportError(file: display(definition.path), field: "source.file", value: display(location), message: "no such file")
        }
        logger.debug("importing", metadata: ["source": "\(definition.source.id)", "file": "\(display(location))"])
        let id = definition.source.id
        let shown = display(location)
        let (reader, hashing) = try Self.openReader(definition, path: location, displayPath: shown)
        let stats = try RecordImport(definition: definition, displayPath: shown)
            .run(reader: reader, hashing: hashing, writer: writer) { read, total, records in progress?(id, read, total, records) }
        logger.info("imported", metadata: [
            "source": "\(id)", "records": "\(stats.records)",
            "inserted": "\(stats.inserted.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))",
        ])
    }

    /// Opens a source file with the reader its format needs, decompressing gzip input on the fly
    /// and hashing the file's bytes as they are read.
    static func openReader(
        _ definition: ImportDefinition, path: String, displayPath: String
    ) throws -> (any RecordReader, HashingByteSource) {
        let file = try FileByteSource(path: path)
        let hashing = HashingByteSource(file)
        let bytes: ByteSource = GzipByteSource.looksCompressed(path: path)
            ? try GzipByteSource(hashing, file: displayPath) : hashing
        let format = definition.format
        switch format.kind {
        case .csv, .tsv:
            let reader = try TabularReader(
                source: bytes, size: file.size, file: displayPath, delimiter: format.delimiter, quoting: format.quoting
            )
            return (reader, hashing)
        case .xml:
            return (try XMLRecordReader(source: bytes, size: file.size, file: displayPath, record: format.record ?? ""), hashing)
        case .json, .jsonl:
            let reader = try JSONRecordReader(
                source: bytes, size: file.size, file: displayPath, record: format.record, lines: format.kind == .jsonl
            )
            return (reader, hashing)
        }
    }

    func recordMeta(_ db: Database) throws {
        let meta: [(String, String)] = [
            ("built_at", ISO8601DateFormatter().string(from: Date())),
            ("origin", origin),
            ("format", "1"),
            ("complete", "1"),
        ]
        for (k, v) in meta {
            try db.execute(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", arguments: [k, v])
        }
        var inputs = Set(definitions.map(\.path)).union(extraInputs)
        for d in definitions where !d.source.location.hasPrefix("http") { inputs.insert(d.source.location) }
        for path in inputs.sorted() {
            guard let f = InputFile.current(path: path) else { continue }
            try db.execute(
                sql: "INSERT OR REPLACE INTO input_file (path, size, mtime) VALUES (?, ?, ?)",
                arguments: [f.path, f.size, f.mtime]
            )
        }
    }

    /// Checks what per-row inserts did not: references and the file's own integrity.
    func validate(_ db: Database) throws {
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
        guard fsync(fd) == 0 else { throw ImportError(file: path, message: "cannot sync to disk: \(String(cString: strerror(errno)))") }
    }

    func display(_ path: String) -> String {
        guard let root = displayRoot else { return path }
        let prefix = root.hasSuffix("/") ? root : root + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }
}
