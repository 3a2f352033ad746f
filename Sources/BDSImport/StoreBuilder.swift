import BDSCore
public import BDSStore
import Foundation
public import Logging

/// Builds a complete store from importer definitions: each source's records stream through its
/// definition into the store's writer, inside the store's all-or-nothing build (`StoreBuild`).
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
    /// Where a source's data came from when it is not the definition's own file (a download, a kept
    /// local copy), by source id; recorded in the store's `source` table.
    public var sourceOrigins: [String: SourceOrigin] = [:]
    /// How a source's file is named in messages when not by its path, by source id: a download by
    /// its URL, a copy staged from a local file by that file.
    public var displayNames: [String: String] = [:]
    /// Called now and then while a source streams in.
    public var progress: (@Sendable (_ source: String, _ bytesRead: Int64, _ totalBytes: Int64, _ records: Int) -> Void)?

    public init(definitions: [ImportDefinition], displayRoot: String? = nil, origin: String, logger: Logger) {
        self.definitions = definitions
        self.displayRoot = displayRoot
        self.origin = origin
        self.logger = logger
    }

    /// Builds the store at `path` from the definitions, all or nothing (see `StoreBuild`).
    @discardableResult
    public func build(to path: String) throws -> BuildReport {
        try storeBuild.run(to: path, load: loadAll)
    }

    /// Builds and checks a store beside `path`, runs `beforeSwap` against the live one, and removes
    /// it again: what a refresh would do, with nothing swapped in.
    @discardableResult
    public func dryRun(beside path: String) throws -> BuildReport {
        try storeBuild.dryRun(beside: path, load: loadAll)
    }

    var storeBuild: StoreBuild {
        var inputs = Set(definitions.map(\.path)).union(extraInputs)
        for d in definitions where !d.source.location.hasPrefix("http") { inputs.insert(d.source.location) }
        var build = StoreBuild(origin: origin, inputs: Array(inputs), logger: logger)
        build.beforeSwap = beforeSwap
        return build
    }

    func loadAll(_ writer: StoreWriter) throws {
        for definition in definitions {
            let id = definition.source.id
            writer.sourceOrigins[id] =
                sourceOrigins[id] ?? SourceOrigin(kind: .definition, location: display(definition.source.location))
            try load(definition, writer: writer)
        }
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
            throw ImportError(
                file: display(definition.path), field: "source.file", value: display(location), message: "no such file")
        }
        logger.debug("importing", metadata: ["source": "\(definition.source.id)", "file": "\(display(location))"])
        let id = definition.source.id
        let shown = displayNames[id] ?? display(location)
        let (reader, hashing) = try Self.openReader(definition, path: location, displayPath: shown)
        let stats = try RecordImport(definition: definition, displayPath: shown)
            .run(reader: reader, hashing: hashing, writer: writer) { read, total, records in progress?(id, read, total, records) }
        logger.info(
            "imported",
            metadata: [
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
        let bytes: any ByteSource =
            GzipByteSource.looksCompressed(path: path)
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

    func display(_ path: String) -> String { LocalPath.shown(path, relativeTo: displayRoot) }
}
