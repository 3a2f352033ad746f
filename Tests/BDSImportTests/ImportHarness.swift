import BDSCore
import BDSImport
import BDSStore
import BDSTestSupport
import Foundation
import GRDB
import Logging

/// Builds stores from importer definitions alone (fixture projects, or files written by a test)
/// and reads them back.
struct ImportHarness {
    /// The project folder (holding `importers/`) the store was built from.
    let project: String
    let storePath: String

    static func fixture(_ name: String) -> String {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent(name).path
    }

    static func temporaryDirectory() throws -> String { try TemporaryDirectories.make() }

    /// Builds a store from a fixture project's definitions.
    static func build(fixture name: String) throws -> ImportHarness {
        try build(project: fixture(name))
    }

    static func build(project: String) throws -> ImportHarness {
        let store = try temporaryDirectory() + "/store.sqlite"
        let definitions = try ImportDefinition.loadAll(directory: project + "/importers")
        try StoreBuilder(definitions: definitions, displayRoot: project, origin: "test", logger: Logger(label: "test"))
            .build(to: store)
        return ImportHarness(project: project, storePath: store)
    }

    /// Writes `files` (paths relative to a new project folder) and builds a store from them.
    static func build(files: [String: Data]) throws -> ImportHarness {
        let project = try temporaryDirectory()
        for (path, data) in files {
            let full = project + "/" + path
            try FileManager.default.createDirectory(
                atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true
            )
            try data.write(to: URL(fileURLWithPath: full))
        }
        return try build(project: project)
    }

    static func build(files: [String: String]) throws -> ImportHarness {
        try build(files: files.mapValues { Data($0.utf8) })
    }

    /// The import error a build of `files` fails with (nil when it succeeds).
    static func failure(files: [String: Data]) -> ImportError? {
        do {
            _ = try build(files: files)
            return nil
        } catch let error as ImportError {
            return error
        } catch {
            return ImportError(file: "?", message: "not an ImportError: \(error)")
        }
    }

    static func failure(files: [String: String]) -> ImportError? {
        failure(files: files.mapValues { Data($0.utf8) })
    }

    /// A definition for `data/<file>` with the given format and emits.
    static func definition(file: String, format: String, emits: String) -> String {
        """
        [source]
        id = "test"
        name = "Test source"
        url = "https://example.org/list"
        retrieved = "2026-11-01"
        file = "../data/\(file)"

        [format]
        \(format)

        \(emits)
        """
    }

    func rows(_ sql: String) throws -> [[String?]] {
        var config = Configuration()
        config.readonly = true
        let queue = try DatabaseQueue(path: storePath, configuration: config)
        return try queue.read { db in
            try Row.fetchAll(db, sql: sql).map { row in
                (0..<row.count).map { i -> String? in
                    let v = row[i] as DatabaseValue
                    switch v.storage {
                    case .null: return nil
                    case .int64(let n): return String(n)
                    case .double(let d): return d == d.rounded() ? String(Int(d)) : String(d)
                    case .string(let s): return s
                    case .blob: return "<blob>"
                    }
                }
            }
        }
    }

    func store() throws -> Store { try Store(path: storePath) }
}
